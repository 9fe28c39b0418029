import { getConfig } from '@/lib/config'
import { fail, type Failure } from '@/lib/shared/outcome'
import { countDenylistHit } from '@/lib/telemetry/metrics'
import { checkAccessToken } from './denylist'
import { acceptsGateVerdict } from './gate-verdict'
import { getKeySet } from './keys'
import { hasPermission, type Permission } from './rbac'
import type { AccessClaims } from './tokens'
import { verifyAccessToken } from './verified-tokens'

export type AccessFailure = 'UNAUTHENTICATED' | 'ACCESS_TOKEN_EXPIRED' | 'ACCESS_TOKEN_INVALID' | 'ACCESS_TOKEN_REVOKED' | 'ACCESS_TOKEN_STALE'
export type AccessResult = { ok: true; claims: AccessClaims } | { ok: false; code: AccessFailure }

/** The gate's verdict for this request (lib/auth/gate-verdict.ts), and what it is bound to. */
export type GateProof = { verdict: string | undefined; method: string; path: string }

/** How a request proves who it is: its access token, whether a refresh cookie came along, the gate's verdict. */
export type AccessCredential = { accessToken: string | undefined; refreshCookie: boolean; gate?: GateProof }

/**
 * The one access-token check, shared by the gate and the server code behind it: signature and
 * claims (no I/O), then the denylist in a single KV round trip. No database.
 */
export async function authenticateAccessToken(token: string | undefined, nowMs: number, hasRefreshCookie = false, gate?: GateProof): Promise<AccessResult> {
  // The browser drops the access cookie when it expires; with the refresh cookie still there,
  // that is an expired token to refresh, not a signed-out person (the client wrapper relies on it).
  if (!token) return { ok: false, code: hasRefreshCookie ? 'ACCESS_TOKEN_EXPIRED' : 'UNAUTHENTICATED' }
  const { issuer, audience, ttl } = getConfig()
  const keys = await getKeySet()
  const verified = await verifyAccessToken(token, keys, { issuer, audience, now: nowMs, graceSeconds: ttl.expiryGrace })
  if (!verified.ok) return { ok: false, code: verified.reason === 'expired' ? 'ACCESS_TOKEN_EXPIRED' : 'ACCESS_TOKEN_INVALID' }
  // The gate of this same request read the denylist a moment ago: one round trip per request.
  if (gate && acceptsGateVerdict(keys, gate.verdict, verified.claims.jti, gate, nowMs)) return { ok: true, claims: verified.claims }
  const status = await checkAccessToken(verified.claims)
  if (status !== 'ok') countDenylistHit(status)
  if (status === 'revoked') return { ok: false, code: 'ACCESS_TOKEN_REVOKED' }
  if (status === 'stale') return { ok: false, code: 'ACCESS_TOKEN_STALE' }
  return { ok: true, claims: verified.claims }
}

/**
 * Server code never trusts the gate alone (CVE-2025-29927): every use case that acts for a
 * signed-in person starts here. With `permission`, a token without it is FORBIDDEN.
 */
export async function authenticate(credential: AccessCredential, nowMs: number, permission?: Permission): Promise<{ ok: true; claims: AccessClaims } | Failure> {
  const result = await authenticateAccessToken(credential.accessToken, nowMs, credential.refreshCookie, credential.gate)
  if (!result.ok) return fail(result.code)
  if (permission && !hasPermission(result.claims, permission)) return fail('FORBIDDEN', { detail: `This needs the ${permission} permission.` })
  return result
}
