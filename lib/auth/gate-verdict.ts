import { createHmac, timingSafeEqual } from 'node:crypto'
import type { KeySet } from './keys'

// The gate (proxy.ts) has just verified an access token and read the denylist for it. Its verdict
// travels to the handler of the same request as a header, so the handler's own check (never trust
// the gate alone: CVE-2025-29927) can skip a second denylist round trip. A bare "the gate said yes"
// header would be exactly that CVE: this one is an HMAC over the token's jti, the request's method
// and path and the time, valid for one second, under a key derived from AUTH_SIGNING_KEYS, which
// the gate and the handlers share through configuration even where they run as separate functions
// (Vercel's _middleware.func). Without a valid verdict the handler reads the denylist itself.

export { GATE_VERDICT_HEADER } from '@/lib/shared/gate-header'
const VALID_FOR_MS = 1_000

type Request = { method: string; path: string }

function mac(key: Buffer, jti: string, request: Request, at: number): string {
  return createHmac('sha256', key).update(`v1|${jti}|${request.method}|${request.path}|${at}`).digest('base64url')
}

/** The gate's verdict for `jti` on this request, now. */
export function gateVerdict(keys: Pick<KeySet, 'gateKeys'>, jti: string, request: Request, nowMs: number): string {
  return `${nowMs}.${mac(keys.gateKeys[0]!, jti, request, nowMs)}`
}

/** True for a verdict the gate gave for this token and this request within the last second. */
export function acceptsGateVerdict(keys: Pick<KeySet, 'gateKeys'>, verdict: string | undefined, jti: string, request: Request, nowMs: number): boolean {
  if (!verdict) return false
  const dot = verdict.indexOf('.')
  const at = Number(verdict.slice(0, dot))
  if (dot < 1 || !Number.isSafeInteger(at) || Math.abs(nowMs - at) > VALID_FOR_MS) return false
  const given = Buffer.from(verdict.slice(dot + 1))
  return keys.gateKeys.some((key) => {
    const expected = Buffer.from(mac(key, jti, request, at))
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}
