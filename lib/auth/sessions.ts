import 'server-only'
import { cache } from 'react'
import { and, desc, eq, gt, isNull } from 'drizzle-orm'
import { recordAudit } from '@/lib/audit'
import { getConfig } from '@/lib/config'
import { isId, newUuidV7 } from '@/lib/ids'
import type { DeviceSession, SessionResponse } from '@/lib/shared/api-types'
import type { ClientInfo } from '@/lib/shared/client-info'
import { fail, type Outcome } from '@/lib/shared/outcome'
import { getDb, type Db, type Tx } from '@/lib/store/db'
import { refreshTokens, sessions, users, type SessionRow, type UserRow } from '@/lib/store/schema'
import type { AccessClaims } from './tokens'
import { denySession } from './denylist'
import { startFamily, type IssuedTokens } from './rotation'
import { findUserById } from './users'
import { sessionView, userView } from './views'

export type StartSessionInput = { user: UserRow; rememberMe: boolean; deviceId: string; client: ClientInfo; transport: 'cookie' | 'bearer' }

/** Sign-in: a new session (one refresh-token family on one device) and its first token pair; null if the user is gone. */
export async function startSession(input: StartSessionInput, nowMs: number, db?: Db): Promise<{ session: SessionRow; tokens: IssuedTokens } | null> {
  const { ttl } = getConfig()
  const at = new Date(nowMs)
  const maxAge = input.rememberMe ? ttl.sessionMaxAge : ttl.browserSessionMaxAge
  return (db ?? (await getDb())).transaction(async (tx) => {
    // The role the tokens carry, read under a share lock: a role change that has locked the user
    // row commits first and this reads its result; one that comes later waits for this sign-in and
    // then sees (and marks stale) its session. A role read before the transaction could be one a
    // concurrent change already replaced, on a token issued after its stale cut-off.
    const [user] = await tx.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, input.user.id)).for('share')
    if (!user) return null
    const [session] = await tx
      .insert(sessions)
      .values({
        id: newUuidV7(nowMs),
        userId: user.id,
        rememberMe: input.rememberMe,
        deviceId: input.deviceId,
        fingerprintHash: input.client.fingerprint,
        ip: input.client.ip,
        userAgent: input.client.userAgent,
        deviceLabel: input.client.deviceLabel,
        createdAt: at,
        lastUsedAt: at,
        expiresAt: new Date(nowMs + maxAge * 1000),
      })
      .returning()
    const who = { at, userId: user.id, sessionId: session!.id, ip: input.client.ip, userAgent: input.client.userAgent }
    await recordAudit(tx, { ...who, event: 'login_succeeded', detail: { rememberMe: input.rememberMe, transport: input.transport, deviceLabel: input.client.deviceLabel } })
    const tokens = await startFamily(tx, { user, session: session!, nowMs, client: input.client })
    return { session: { ...session!, currentTokenId: tokens.refresh.jti }, tokens }
  })
}

export type RevokeReason = 'logout' | 'refresh_reuse' | 'device_mismatch' | 'anomaly' | 'admin' | 'user' | 'password_changed' | 'others_signed_out'

type Actor = { ip?: string | null; userAgent?: string | null }

/**
 * Marks the session revoked inside `tx`, audits it, and denies its access tokens before the commit
 * (docs/decisions/013): if the KV refuses, the transaction rolls back and nothing was revoked.
 */
export async function markSessionRevoked(tx: Tx, session: Pick<SessionRow, 'id' | 'userId'>, reason: RevokeReason, nowMs: number, actor: Actor = {}): Promise<boolean> {
  const revoked = await recordRevocation(tx, session, reason, nowMs, actor)
  if (revoked) await denySession(session.id)
  return revoked
}

async function recordRevocation(tx: Tx, session: Pick<SessionRow, 'id' | 'userId'>, reason: RevokeReason, nowMs: number, actor: Actor): Promise<boolean> {
  const updated = await tx
    .update(sessions)
    .set({ revokedAt: new Date(nowMs), revokedReason: reason })
    .where(and(eq(sessions.id, session.id), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id })
  if (updated.length === 0) return false
  await recordAudit(tx, { event: 'session_revoked', at: new Date(nowMs), userId: session.userId, sessionId: session.id, ip: actor.ip, userAgent: actor.userAgent, detail: { reason } })
  return true
}

export async function findSession(sessionId: string, db?: Db): Promise<SessionRow | null> {
  const [session] = await (db ?? (await getDb())).select().from(sessions).where(eq(sessions.id, sessionId)).limit(1)
  return session ?? null
}

/** The session and the expiry (seconds) of its current refresh token. */
export const currentRefreshExpiry = cache(async (sessionId: string): Promise<{ session: SessionRow; refreshExp: number } | null> => {
  const db = await getDb()
  const [row] = await db
    .select({ session: sessions, refreshExpiresAt: refreshTokens.expiresAt })
    .from(sessions)
    .leftJoin(refreshTokens, eq(refreshTokens.id, sessions.currentTokenId))
    .where(eq(sessions.id, sessionId))
    .limit(1)
  if (!row) return null
  const expiresAt = row.refreshExpiresAt ?? row.session.expiresAt
  return { session: row.session, refreshExp: Math.floor(expiresAt.getTime() / 1000) }
})

/** GET /api/auth/session: who is signed in, and this session's times. */
export async function readSession(input: { caller: AccessClaims }): Promise<Outcome<SessionResponse>> {
  const [user, current] = await Promise.all([findUserById(input.caller.sub), currentRefreshExpiry(input.caller.sid)])
  if (!user || !current || current.session.revokedAt) return fail('ACCESS_TOKEN_REVOKED')
  return { ok: true, user: userView(user), session: sessionView(current.session, input.caller.exp, current.refreshExp) }
}

/** The caller's live sessions (not revoked, not past their absolute end), most recently used first. */
export async function listSessions(input: { caller: AccessClaims }, nowMs: number): Promise<Outcome<{ sessions: DeviceSession[] }>> {
  const db = await getDb()
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, input.caller.sub), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date(nowMs))))
    .orderBy(desc(sessions.lastUsedAt))
  return {
    ok: true,
    sessions: rows.map((row) => ({
      id: row.id,
      current: row.id === input.caller.sid,
      deviceLabel: row.deviceLabel,
      ip: row.ip,
      userAgent: row.userAgent,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      flags: row.flags,
    })),
  }
}

/**
 * DELETE /api/auth/sessions/{id}: one of the caller's own sessions ends; the database row and the
 * denylist entry commit together, or neither does. Anyone else's session is NOT_FOUND, never FORBIDDEN.
 */
export async function revokeSession(input: { caller: AccessClaims; sessionId: string; client: ClientInfo }, nowMs: number): Promise<Outcome<{ revoked: true; current: boolean }>> {
  const session = isId(input.sessionId) ? await findSession(input.sessionId) : null
  if (!session || session.userId !== input.caller.sub || session.revokedAt) return fail('NOT_FOUND', { detail: 'No such session.' })
  const db = await getDb()
  await db.transaction((tx) => markSessionRevoked(tx, session, 'user', nowMs, input.client))
  return { ok: true, revoked: true, current: session.id === input.caller.sid }
}

/**
 * Locks the user row until the commit (after the role change's order: user row, then sessions).
 * A sign-in (startSession, FOR SHARE) that has not committed is waited for and its session seen;
 * one that starts later waits for this change. Null when there is no such user.
 */
export async function lockUser(tx: Tx, userId: string): Promise<{ id: string } | null> {
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update')
  return user ?? null
}

/**
 * Revokes every live session of the user except `keepSessionId` inside `tx`, and denies them all
 * before the commit; returns their ids.
 */
export async function markUserSessionsRevoked(tx: Tx, userId: string, reason: RevokeReason, nowMs: number, actor: Actor, keepSessionId?: string): Promise<string[]> {
  const live = await tx.select({ id: sessions.id, userId: sessions.userId }).from(sessions).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))).for('update')
  const revoked: string[] = []
  for (const session of live) {
    if (session.id === keepSessionId) continue
    if (await recordRevocation(tx, session, reason, nowMs, actor)) revoked.push(session.id)
  }
  await Promise.all(revoked.map((id) => denySession(id)))
  return revoked
}

/** "Sign out other devices" (SPEC §7): every own session but the caller's. */
export async function revokeOtherSessions(input: { caller: AccessClaims; client: ClientInfo }, nowMs: number): Promise<Outcome<{ revoked: number }>> {
  const { sub: userId, sid } = input.caller
  const db = await getDb()
  const revoked = await db.transaction(async (tx) => {
    await lockUser(tx, userId)
    return markUserSessionsRevoked(tx, userId, 'others_signed_out', nowMs, input.client, sid)
  })
  return { ok: true, revoked: revoked.length }
}
