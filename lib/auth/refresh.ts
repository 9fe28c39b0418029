import 'server-only'
import { timingSafeEqual } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { recordAudit, type AuditEntry } from '@/lib/audit'
import { getConfig } from '@/lib/config'
import { recordRefresh } from '@/lib/telemetry/metrics'
import type { ErrorCode } from '@/lib/shared/error-codes'
import type { ClientInfo } from '@/lib/shared/client-info'
import { getDb, type Tx } from '@/lib/store/db'
import { refreshTokens, sessions, users, type RefreshTokenRow, type SessionRow } from '@/lib/store/schema'
import { checkAccessToken } from './denylist'
import { sha256 } from '@/lib/ids'
import { spendLimit } from './limits'
import { openSealedSuccessor, rotate, type IssuedTokens } from './rotation'
import { sessionView, type SessionView } from './views'
import { getKeySet } from './keys'
import { markSessionRevoked, type RevokeReason } from './sessions'
import { verifyToken, type AccessClaims, type RefreshClaims } from './tokens'

// The rotation rules of SPEC §4 in one place: the refresh route, the gate's refresh-on-navigation
// and the tests all call refreshSession. Expected failures are return values, not exceptions.

export type RefreshInput = {
  refreshToken: string | undefined
  /** The access token sent alongside, if any: lets a not-yet-due refresh issue nothing (§4.6). */
  accessToken?: string | undefined
  deviceId: string | undefined
  client: ClientInfo
}

export type RefreshOutcome =
  | { ok: true; rotated: true; tokens: IssuedTokens; session: SessionView; rememberMe: boolean; replay: boolean }
  | { ok: true; rotated: false; session: SessionView }
  | { ok: false; code: ErrorCode; retryAfter?: number }

export async function refreshSession(input: RefreshInput, nowMs: number): Promise<RefreshOutcome> {
  const started = performance.now()
  const outcome = await refreshOnce(input, nowMs)
  const kind = !outcome.ok ? 'refused' : !outcome.rotated ? 'not_due' : outcome.replay ? 'replay' : 'rotated'
  recordRefresh(kind, performance.now() - started)
  return outcome
}

async function refreshOnce(input: RefreshInput, nowMs: number): Promise<RefreshOutcome> {
  const { ttl, issuer, audience } = getConfig()
  // 2. The token itself.
  if (!input.refreshToken) return { ok: false, code: 'REFRESH_TOKEN_MISSING' }
  const keys = await getKeySet()
  const verified = await verifyToken('refresh', input.refreshToken, keys, { issuer, audience, now: nowMs, graceSeconds: 0 })
  if (!verified.ok) return { ok: false, code: verified.reason === 'expired' ? 'REFRESH_TOKEN_EXPIRED' : 'REFRESH_TOKEN_INVALID' }
  const claims = verified.claims
  const freshAccess = await accessNotYetDue(input.accessToken, claims, nowMs)
  // §4.7: every refresh with a genuine token counts toward its IP's budget; only rotations are refused.
  const ipBudget = await spendLimit('refresh_ip', input.client.network)

  const db = await getDb()
  return db.transaction(async (tx): Promise<RefreshOutcome> => {
    // 3. The session, locked: concurrent refreshes of one family run one after another (§4.8).
    // 4. Its rotation state: the token's row, read and locked by the same statement.
    const { session, row } = await lockFamily(tx, claims)
    if (!session || session.userId !== claims.sub || session.revokedAt) return { ok: false, code: 'SESSION_REVOKED' }
    if (session.expiresAt.getTime() <= nowMs) return { ok: false, code: 'SESSION_EXPIRED' }
    if (!row || !sameHash(row.tokenHash, sha256(input.refreshToken!))) return { ok: false, code: 'REFRESH_TOKEN_INVALID' }
    const current = session.currentTokenId === row.id && row.usedAt === null
    const graceReplay =
      !current && row.usedAt !== null && row.successorId === session.currentTokenId && nowMs - row.usedAt.getTime() <= ttl.reuseGrace * 1000
    const audit = { at: new Date(nowMs), userId: session.userId, sessionId: session.id, tokenType: 'refresh' as const, jti: claims.jti, ip: input.client.ip, userAgent: input.client.userAgent }
    if (graceReplay && row.successorSealed === null) {
      // Retired by a security event (a password change, lib/auth/password-change.ts): no successor
      // was sealed, so there is nothing to replay, and a copy taken before the change gets nothing
      // (docs/decisions/013). Answered before the binding checks, so a copy from another device
      // cannot end the session of the person who made the change. REFRESH_TOKEN_INVALID, not
      // REUSED or SESSION_REVOKED: this token is no good, but the session goes on.
      await recordAudit(tx, { ...audit, event: 'refresh_reuse_detected', detail: { usedAt: row.usedAt!.toISOString(), sessionRevoked: false } })
      return { ok: false, code: 'REFRESH_TOKEN_INVALID' }
    }
    if (!current && !graceReplay) {
      // RFC 9700 §4.14.2: a used refresh token presented again means one of its holders is a thief.
      await recordAudit(tx, { ...audit, event: 'refresh_reuse_detected', detail: { usedAt: row.usedAt?.toISOString() ?? null } })
      return revoke(tx, session, 'refresh_reuse', 'REFRESH_TOKEN_REUSED', nowMs, input.client)
    }

    // 5. Binding to the device, its browser and its network.
    const binding = await checkBinding(tx, session, input, nowMs, audit)
    if (binding) return binding

    if (graceReplay) {
      // Idempotent: concurrent tabs and retries get the very same successor (never a fork).
      const tokens = openSealedSuccessor(row, input.refreshToken!)
      if (!tokens) return { ok: false, code: 'REFRESH_TOKEN_INVALID' }
      await recordAudit(tx, { ...audit, event: 'refresh_replayed', detail: { usedAt: row.usedAt!.toISOString() } })
      return { ok: true, rotated: true, replay: true, tokens, rememberMe: session.rememberMe, session: sessionView(session, tokens.access.exp, tokens.refresh.exp) }
    }

    // 6. Not yet due: a live access token of this session with more than the refresh window left.
    if (freshAccess && freshAccess.sid === session.id) {
      return { ok: true, rotated: false, session: sessionView(session, freshAccess.exp, claims.exp) }
    }

    // 7. At most one rotation per session per interval (never longer than half an access lifetime,
    // or a client refreshing on expiry could never rotate: docs/decisions/006).
    const interval = Math.min(ttl.refreshMinInterval, Math.floor(ttl.access / 2)) * 1000
    if (!ipBudget.ok) {
      await recordAudit(tx, { ...audit, event: 'rate_limited', detail: { limit: 'refresh_ip' } })
      return { ok: false, code: 'RATE_LIMITED', retryAfter: ipBudget.retryAfterSeconds }
    }
    const sinceLast = session.lastRotatedAt ? nowMs - session.lastRotatedAt.getTime() : Infinity
    if (sinceLast < interval) {
      await recordAudit(tx, { ...audit, event: 'rate_limited', detail: { limit: 'refresh_per_session' } })
      return { ok: false, code: 'RATE_LIMITED', retryAfter: Math.ceil((interval - sinceLast) / 1000) }
    }

    // 8. Rotate: the used token is marked with its successor in this same transaction, and the
    // successor sealed under it for the reuse grace.
    const [user] = await tx.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, session.userId))
    if (!user) return { ok: false, code: 'SESSION_REVOKED' }
    // Stamped at issue, after the wait for the session lock, not when the request began.
    const tokens = await rotate(tx, { user, session, nowMs: Date.now(), client: input.client, used: row.id, sealWith: input.refreshToken!, cause: { ...audit, event: 'token_refreshed' } })
    return { ok: true, rotated: true, replay: false, tokens, rememberMe: session.rememberMe, session: sessionView(session, tokens.access.exp, tokens.refresh.exp) }
  })
}

/**
 * The session row and the presented token's row, both locked FOR UPDATE, in one round trip (issue 11).
 * Sessions come first in the lock order, as everywhere else; a rotation that held the session
 * lock is seen with its writes to the token row (Postgres rechecks locked rows at their newest
 * version). With no such pair (an unknown session or token), the session alone is read to tell which.
 */
async function lockFamily(tx: Tx, claims: RefreshClaims): Promise<{ session: SessionRow | undefined; row: RefreshTokenRow | undefined }> {
  const [pair] = await tx
    .select({ session: sessions, row: refreshTokens })
    .from(sessions)
    .innerJoin(refreshTokens, and(eq(refreshTokens.id, claims.jti), eq(refreshTokens.sessionId, sessions.id)))
    .where(eq(sessions.id, claims.sid))
    .for('update', { of: [sessions, refreshTokens] })
  if (pair) return pair
  const [session] = await tx.select().from(sessions).where(eq(sessions.id, claims.sid)).for('update')
  return { session, row: undefined }
}

async function checkBinding(
  tx: Tx,
  session: SessionRow,
  input: RefreshInput,
  nowMs: number,
  audit: Omit<AuditEntry, 'event'>,
): Promise<RefreshOutcome | null> {
  const { policy } = getConfig()
  if (session.deviceId !== input.deviceId) {
    await recordAudit(tx, { ...audit, event: 'device_mismatch', detail: { deviceLabel: input.client.deviceLabel } })
    return revoke(tx, session, 'device_mismatch', 'DEVICE_MISMATCH', nowMs, input.client)
  }
  const flags = new Set(session.flags)
  if (session.fingerprintHash !== input.client.fingerprint) {
    await recordAudit(tx, { ...audit, event: 'anomaly_detected', detail: { kind: 'user_agent', policy: policy.userAgent, from: session.userAgent, to: input.client.userAgent } })
    if (policy.userAgent === 'block') return revoke(tx, session, 'anomaly', 'SESSION_ANOMALY', nowMs, input.client)
    flags.add('user_agent_changed')
  }
  if (input.client.ip && session.ip && session.ip !== input.client.ip) {
    await recordAudit(tx, { ...audit, event: 'ip_changed', detail: { policy: policy.ip, from: session.ip, to: input.client.ip } })
    if (policy.ip === 'block') return revoke(tx, session, 'anomaly', 'SESSION_ANOMALY', nowMs, input.client)
    flags.add('ip_changed')
  }
  if (flags.size !== session.flags.length || (input.client.ip && input.client.ip !== session.ip)) {
    await tx
      .update(sessions)
      .set({ flags: [...flags], ip: input.client.ip ?? session.ip, userAgent: input.client.userAgent, fingerprintHash: input.client.fingerprint })
      .where(eq(sessions.id, session.id))
  }
  return null
}

/** Revoked and denied (§6) in this transaction: a KV that refuses the denial rolls it all back (503). */
async function revoke(tx: Tx, session: SessionRow, reason: RevokeReason, code: ErrorCode, nowMs: number, client: ClientInfo): Promise<RefreshOutcome> {
  await markSessionRevoked(tx, session, reason, nowMs, client)
  return { ok: false, code }
}

/** §4.6: the access token presented with the refresh, if it verifies, is not denied and has time left. */
async function accessNotYetDue(token: string | undefined, refresh: RefreshClaims, nowMs: number): Promise<AccessClaims | null> {
  if (!token) return null
  const { ttl, issuer, audience } = getConfig()
  const verified = await verifyToken('access', token, await getKeySet(), { issuer, audience, now: nowMs, graceSeconds: 0 })
  if (!verified.ok || verified.claims.sid !== refresh.sid || verified.claims.sub !== refresh.sub) return null
  if (verified.claims.exp * 1000 - nowMs <= ttl.refreshWindow * 1000) return null
  return (await checkAccessToken(verified.claims)) === 'ok' ? verified.claims : null
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
