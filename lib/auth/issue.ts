import 'server-only'
import { eq } from 'drizzle-orm'
import type { SessionInfo } from '@/lib/shared/api-types'
import { recordAudit } from '@/lib/audit'
import { getConfig } from '@/lib/config'
import type { Tx } from '@/lib/store/db'
import { refreshTokens, sessions, type SessionRow, type UserRow } from '@/lib/store/schema'
import { sha256 } from '@/lib/ids'
import { getKeySet } from './keys'
import { permissionsFor } from './rbac'
import { signAccessToken, signRefreshToken, type AccessClaims, type RefreshClaims } from './tokens'

export type IssuedTokens = { accessToken: string; refreshToken: string; access: AccessClaims; refresh: RefreshClaims }

/** The `session` of SPEC §7 answers. */
export type SessionView = SessionInfo

const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

export function sessionView(session: Pick<SessionRow, 'id' | 'expiresAt' | 'rememberMe'>, accessExp: number, refreshExp: number): SessionView {
  return {
    id: session.id,
    accessTokenExpiresAt: iso(accessExp),
    refreshTokenExpiresAt: iso(refreshExp),
    expiresAt: session.expiresAt.toISOString(),
    rememberMe: session.rememberMe,
  }
}

/**
 * Signs a new access/refresh pair for the session, records the refresh token (hash only) as
 * the session's current one, and audits both as `token_issued`. Neither outlives the session's absolute expiry. Role and permissions
 * come from the user row as it is now.
 */
export async function issueTokens(
  tx: Tx,
  user: Pick<UserRow, 'id' | 'role'>,
  session: Pick<SessionRow, 'id' | 'expiresAt'>,
  nowMs: number,
  parentId: string | null,
  client: { ip: string | null; userAgent: string | null },
): Promise<IssuedTokens> {
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
  await tx.update(sessions).set({ currentTokenId: refresh.claims.jti, lastUsedAt: new Date(nowMs), ...(parentId ? { lastRotatedAt: new Date(nowMs) } : {}) }).where(eq(sessions.id, session.id))
  const who = { at: new Date(nowMs), userId: user.id, sessionId: session.id, ip: client.ip, userAgent: client.userAgent }
  await recordAudit(
    tx,
    { ...who, event: 'token_issued', tokenType: 'access', jti: access.claims.jti },
    { ...who, event: 'token_issued', tokenType: 'refresh', jti: refresh.claims.jti },
  )
  return { accessToken: access.token, refreshToken: refresh.token, access: access.claims, refresh: refresh.claims }
}
