import 'server-only'
import { and, asc, desc, eq, gt, gte, lt, lte, type SQL } from 'drizzle-orm'
import { recordAudit, type AuditEvent } from '@/lib/audit'
import type { ClientInfo } from '@/lib/http/client-info'
import { ProblemError } from '@/lib/http/errors'
import { isId } from '@/lib/ids'
import { getDb } from '@/lib/store/db'
import { auditEvents, sessions, users } from '@/lib/store/schema'
import { cutoffAfterIssued, denyUserTokensBefore, markUserTokensStale } from './denylist'
import type { Role } from './rbac'
import { lockUser, markUserSessionsRevoked } from './sessions'
import { userView, type UserView } from './users'

// The admin side of SPEC §7. Handlers check the permission; these functions do the work.

type Actor = { userId: string; client: ClientInfo }

export async function listUsers(options: { limit: number; cursor?: string }): Promise<{ users: Array<UserView & { createdAt: string }>; nextCursor: string | null }> {
  const db = await getDb()
  // Ids are UUIDv7, so id order is creation order and the last id is the cursor.
  const rows = await db
    .select()
    .from(users)
    .where(options.cursor ? gt(users.id, options.cursor) : undefined)
    .orderBy(asc(users.id))
    .limit(options.limit + 1)
  const page = rows.slice(0, options.limit)
  return {
    users: page.map((user) => ({ ...userView(user), createdAt: user.createdAt.toISOString() })),
    nextCursor: rows.length > options.limit ? page.at(-1)!.id : null,
  }
}

/** Takes effect on the user's next request: their live access tokens answer ACCESS_TOKEN_STALE. */
export async function changeUserRole(actor: Actor, userId: string, role: Role, nowMs: number): Promise<UserView> {
  const db = await getDb()
  if (!isId(userId)) throw new ProblemError('NOT_FOUND', 'No such user.')
  const updated = await db.transaction(async (tx) => {
    // Lock the admins first, always in id order: two admins demoting each other at once then run
    // one after the other (no deadlock), and the second sees the first's change.
    const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).orderBy(asc(users.id)).for('update')
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update')
    if (!user) throw new ProblemError('NOT_FOUND', 'No such user.')
    if (user.role === role) return user
    if (user.role === 'admin' && admins.every((admin) => admin.id === userId)) {
      throw new ProblemError('VALIDATION_FAILED', 'The last admin cannot lose the admin role.', { errors: { role: ['At least one admin must remain'] } })
    }
    const [changed] = await tx.update(users).set({ role, updatedAt: new Date(nowMs) }).where(eq(users.id, userId)).returning()
    // The new claims must reach the user at their next refresh, even one that comes right after a
    // rotation: the per-session rotation interval starts again for their sessions.
    const touched = await tx.update(sessions).set({ lastRotatedAt: null }).where(eq(sessions.userId, userId)).returning({ lastIssued: sessions.lastUsedAt })
    // The stale cut-off comes from that update, not from `nowMs`: a refresh that read the old role
    // holds its session row, so the update waited for it to commit and sees the time it issued at,
    // however late its request started; a sign-in reads the role under a share lock (startSession)
    // and is waited for too. A cut-off of `nowMs` would let such a token keep the old role for a
    // whole access lifetime. Written just before the commit (docs/decisions/013).
    const staleFrom = cutoffAfterIssued(nowMs, touched.map((session) => session.lastIssued))
    await recordAudit(tx, { event: 'role_changed', at: new Date(nowMs), userId, ip: actor.client.ip, userAgent: actor.client.userAgent, detail: { from: user.role, to: role, by: actor.userId } })
    await markUserTokensStale(userId, staleFrom)
    return changed!
  })
  return userView(updated)
}

/** Signs the user out everywhere: every session revoked and denied, every access token issued before now denied, in one transaction. */
export async function signOutEverywhere(actor: Actor, userId: string, nowMs: number): Promise<number> {
  if (!isId(userId)) throw new ProblemError('NOT_FOUND', 'No such user.')
  const db = await getDb()
  return db.transaction(async (tx) => {
    if (!(await lockUser(tx, userId))) throw new ProblemError('NOT_FOUND', 'No such user.')
    const revoked = await markUserSessionsRevoked(tx, userId, 'admin', nowMs, actor.client)
    await denyUserTokensBefore(userId, nowMs)
    return revoked.length
  })
}

export type AuditQuery = { userId?: string; event?: AuditEvent; from?: Date; to?: Date; limit: number; cursor?: number }

/** Newest first; the cursor is the last id of the previous page (ids grow with time). */
export async function listAudit(query: AuditQuery) {
  const db = await getDb()
  const conditions: SQL[] = []
  if (query.userId) conditions.push(eq(auditEvents.userId, query.userId))
  if (query.event) conditions.push(eq(auditEvents.event, query.event))
  if (query.from) conditions.push(gte(auditEvents.at, query.from))
  if (query.to) conditions.push(lte(auditEvents.at, query.to))
  if (query.cursor !== undefined) conditions.push(lt(auditEvents.id, query.cursor))
  const rows = await db
    .select()
    .from(auditEvents)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(query.limit + 1)
  const page = rows.slice(0, query.limit)
  return {
    items: page.map((row) => ({
      id: String(row.id),
      at: row.at.toISOString(),
      event: row.event,
      userId: row.userId,
      sessionId: row.sessionId,
      tokenType: row.tokenType,
      jti: row.jti,
      ip: row.ip,
      userAgent: row.userAgent,
      detail: row.detail,
    })),
    nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null,
  }
}
