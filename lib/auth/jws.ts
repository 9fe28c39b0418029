import { sign, verify, type KeyObject } from 'node:crypto'

// Compact JWS with ES256 on node:crypto's synchronous sign/verify (docs/decisions/014).
// jose signs and verifies through WebCrypto, whose jobs queue on libuv's 4-thread pool behind
// every scrypt/argon2 password hash: a burst of sign-ins stalled every signed-in request for
// seconds. A P-256 verify costs ~0.1 ms on the main thread, so it never waits in that queue.
// Only ES256 exists here: no `alg` negotiation, no embedded keys, no extensions (RFC 8725 §2–3).

export type JwsHeader = { alg: 'ES256'; typ: string; kid: string }

const SEGMENT = /^[A-Za-z0-9_-]+$/
// ES256 signatures are R‖S, 32 bytes each (RFC 7518 §3.4).
const SIGNATURE_BYTES = 64

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function signJws(header: JwsHeader, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${encode(header)}.${encode(payload)}`
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
  return `${input}.${signature.toString('base64url')}`
}

export type VerifiedJws = { header: Record<string, unknown>; payload: Record<string, unknown> }

/**
 * The header and payload of a token whose ES256 signature verifies under the key its `kid`
 * names in `keys`, or null. The key comes only from our own set: `jwk`, `jku`, `x5u` and `x5c`
 * headers are never used (CVE-2018-0114), and a `kid` is a map key, never a path. A `crit` or
 * `b64` header asks for processing we do not do, so the token is refused (RFC 7515 §4.1.11, RFC 7797).
 */
export function verifyJws(token: string, keys: ReadonlyMap<string, KeyObject>): VerifiedJws | null {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) return null
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  const header = parseObject(headerPart)
  if (!header || header.alg !== 'ES256' || typeof header.kid !== 'string') return null
  if ('crit' in header || 'b64' in header) return null
  const key = keys.get(header.kid)
  if (!key) return null
  const signature = Buffer.from(signaturePart, 'base64url')
  if (signature.length !== SIGNATURE_BYTES) return null
  const valid = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), { key, dsaEncoding: 'ieee-p1363' }, signature)
  if (!valid) return null
  const payload = parseObject(payloadPart)
  return payload ? { header, payload } : null
}

function parseObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}
