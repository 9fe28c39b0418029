import 'server-only'
import { eq } from 'drizzle-orm'
import { recordAudit, type AuditEntry } from '@/lib/audit'
import { getConfig } from '@/lib/config'
import { sha256 } from '@/lib/ids'
import type { Tx } from '@/lib/store/db'
import { refreshTokens, sessions, type SessionRow, type UserRow } from '@/lib/store/schema'
import { getKeySet } from './keys'
import { permissionsFor } from './rbac'
import { seal, unseal } from './seal'
import { signAccessToken, signRefreshToken, type AccessClaims, type RefreshClaims } from './tokens'

// Every write to a session's refresh-token family, in one place (SPEC §2, §4.8): the first pair
// at sign-in, a rotation (the used token marked with its successor, the successor sealed for the
// reuse grace or not, the session's current token and rotation time moved), and the restart of the
// rotation interval after a role change. refreshSession, changePassword and the admin role change
// call these inside their transactions, with the session row locked.

export type IssuedTokens = { accessToken: string; refreshToken: string; access: AccessClaims; refresh: RefreshClaims }

type Client = { ip: string | null; userAgent: string | null }
type Family = { user: Pick<UserRow, 'id' | 'role'>; session: Pick<SessionRow, 'id' | 'expiresAt'>; nowMs: number; client: Client }

/**
 * Signs a pair for the session, records the refresh token (hash only), and audits both as
 * `token_issued`. Neither outlives the session's absolute end. Role and permissions are the user
 * row's as the transaction read it.
 */
async function issuePair(tx: Tx, { user, session, nowMs, client }: Family, parentId: string | null, cause?: AuditEntry): Promise<IssuedTokens> {
  const { ttl, issuer, audience } = getConfig()
  const keys = await getKeySet()
  const left = Math.max(1, Math.floor((session.expiresAt.getTime() - nowMs) / 1000))
  const base = { sub: user.id, sid: session.id, now: nowMs }
  const context = { issuer, audience }
  const access = await signAccessToken({ ...base, ttl: Math.min(ttl.access, left), role: user.role, permissions: permissionsFor(user.role) }, keys.signing, context)
  const refresh = await signRefreshToken({ ...base, ttl: Math.min(ttl.refresh, left) }, keys.signing, context)
  await tx.insert(refreshTokens).values({
    id: refresh.claims.jti,
    sessionId: session.id,
    tokenHash: sha256(refresh.token),
    parentId,
    issuedAt: new Date(nowMs),
    expiresAt: new Date(refresh.claims.exp * 1000),
  })
  const who = { at: new Date(nowMs), userId: user.id, sessionId: session.id, ip: client.ip, userAgent: client.userAgent }
  // One insert: the cause (if given) first, so its id comes before its tokens' (lib/auth/session-timeline.ts).
  await recordAudit(
    tx,
    ...(cause ? [cause] : []),
    { ...who, event: 'token_issued', tokenType: 'access', jti: access.claims.jti },
    { ...who, event: 'token_issued', tokenType: 'refresh', jti: refresh.claims.jti },
  )
  return { accessToken: access.token, refreshToken: refresh.token, access: access.claims, refresh: refresh.claims }
}

/** Sign-in: the family's first pair becomes the session's current one. */
export async function startFamily(tx: Tx, family: Family): Promise<IssuedTokens> {
  const tokens = await issuePair(tx, family, null)
  await tx.update(sessions).set({ currentTokenId: tokens.refresh.jti, lastUsedAt: new Date(family.nowMs) }).where(eq(sessions.id, family.session.id))
  return tokens
}

export type Rotation = Family & {
  /** The refresh token being replaced (its row id), if the session has one. */
  used: string | null
  /**
   * The used token's value, to seal the successor under for the reuse grace (docs/decisions/005);
   * null when the rotation is a security event (a password change): then a copy of the used token
   * gets nothing within the grace and counts as reuse after it (docs/decisions/013).
   */
  sealWith: string | null
  /** The audit entry of what caused the rotation, written in the same insert as its tokens'. */
  cause?: AuditEntry
}

/** Rotation: a new pair, the used token marked with its successor, the session moved on. */
export async function rotate(tx: Tx, rotation: Rotation): Promise<IssuedTokens> {
  const { used, sealWith, nowMs, session, cause } = rotation
  const tokens = await issuePair(tx, rotation, used, cause)
  if (used) {
    const successorSealed = sealWith ? seal(JSON.stringify(tokens), sealWith, used) : null
    await tx.update(refreshTokens).set({ usedAt: new Date(nowMs), successorId: tokens.refresh.jti, successorSealed }).where(eq(refreshTokens.id, used))
  }
  const at = new Date(nowMs)
  await tx.update(sessions).set({ currentTokenId: tokens.refresh.jti, lastUsedAt: at, lastRotatedAt: at }).where(eq(sessions.id, session.id))
  return tokens
}

/** The successor a used token was sealed with, for a replay within the grace; null if none or not its holder. */
export function openSealedSuccessor(row: { id: string; successorSealed: string | null }, tokenValue: string): IssuedTokens | null {
  const opened = row.successorSealed ? unseal(row.successorSealed, tokenValue, row.id) : null
  return opened ? (JSON.parse(opened) as IssuedTokens) : null
}

/**
 * After a role change: the per-session rotation interval starts again, so the new claims reach the
 * user at their very next refresh. Returns each session's `lastUsedAt`, the issue time of its newest
 * pair, read from rows this transaction now holds (lib/auth/denylist.ts `cutoffAfterIssued`).
 */
export async function restartRotationInterval(tx: Tx, userId: string): Promise<Date[]> {
  const touched = await tx.update(sessions).set({ lastRotatedAt: null }).where(eq(sessions.userId, userId)).returning({ lastIssued: sessions.lastUsedAt })
  return touched.map((row) => row.lastIssued)
}
