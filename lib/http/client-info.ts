import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'
import { getConfig } from '@/lib/config'
import { sha256 } from '@/lib/ids'
import type { ClientInfo } from '@/lib/shared/client-info'

/** Set by lib/http/peer-address.ts on every request: the socket's address, never the client's word. */
export const PEER_HEADER = 'x-njjwt-peer-address'
/** Set alongside: `https` when the socket itself is TLS, else `http`. */
export const PEER_PROTO_HEADER = 'x-njjwt-peer-proto'

export type { ClientInfo }

/**
 * Who is asking (SPEC §5). Client IP: on Vercel the platform's own header (Vercel overwrites it,
 * the client cannot); self-hosted behind a proxy that appends to X-Forwarded-For
 * (AUTH_TRUST_PROXY=1) its last hop; otherwise the socket's address (docs/decisions/008).
 */
export function readClientInfo(headers: Headers): ClientInfo {
  const userAgent = headers.get('user-agent')?.slice(0, 512) ?? null
  const fingerprintSource = [userAgent ?? '', headers.get('accept-language') ?? '', headers.get('sec-ch-ua-platform') ?? ''].join('\n')
  const ip = clientIp(headers)
  return { ip, network: addressBucket(ip), userAgent, fingerprint: sha256(fingerprintSource), deviceLabel: deviceLabel(userAgent) }
}

export function clientIp(headers: Headers): string | null {
  const { onVercel, policy } = getConfig()
  if (onVercel) return clean(headers.get('x-vercel-forwarded-for')?.split(',')[0] ?? headers.get('x-real-ip'))
  const hops = (headers.get('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim()).filter(Boolean)
  // The last hop is the one our own reverse proxy appended; earlier ones are the client's word.
  if (policy.trustProxy) return clean(hops.at(-1))
  // Otherwise the socket's address, stamped by lib/http/peer-address.ts; X-Forwarded-For is ignored.
  return clean(headers.get(PEER_HEADER))
}

/** A well-formed address in its canonical spelling (IPv4-mapped IPv6 as IPv4), or null. */
function clean(value: string | null | undefined): string | null {
  const ip = value?.trim()
  if (!ip || !isIP(ip)) return null
  return ipaddr.process(ip).toString()
}

/**
 * The unit per-address limits count: an IPv4 address, or an IPv6 address's /64. One host (or one
 * customer network) gets a whole /64 (RFC 6177) and can rotate through it at will, so keying on
 * the full IPv6 address would let it escape every per-address budget.
 */
export function addressBucket(ip: string | null): string {
  if (!ip || !ipaddr.isValid(ip)) return 'unknown'
  const address = ipaddr.process(ip)
  if (address.kind() === 'ipv4') return address.toString()
  const prefix = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16))
  return `${prefix.join(':')}::/64`
}

const BROWSERS: Array<[RegExp, string]> = [
  [/Edg(?:e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/^curl\//, 'curl'],
  [/node|undici|axios|python|Go-http-client|okhttp/i, 'API client'],
]
const SYSTEMS: Array<[RegExp, string]> = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Windows/, 'Windows'],
  [/Linux/, 'Linux'],
]

/** A readable label such as "Chrome on macOS". */
export function deviceLabel(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device'
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? 'Unknown browser'
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1]
  return system ? `${browser} on ${system}` : browser
}
