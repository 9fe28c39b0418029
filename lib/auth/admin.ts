import 'server-only'
import { and, asc, desc, eq, gt, gte, lt, lte, type SQL } from 'drizzle-orm'
import { recordAudit, type AuditEvent } from '@/lib/audit'
import { isId } from '@/lib/ids'
import type { ClientInfo } from '@/lib/shared/client-info'
import { fail, type Outcome } from '@/lib/shared/outcome'
import { getDb } from '@/lib/store/db'
import { auditEvents, sessions, users } from '@/lib/store/schema'
import type { AccessClaims } from './tokens'
import { cutoffAfterIssued, denyUserTokensBefore, markUserTokensStale } from './denylist'
import type { Role } from './rbac'
import { restartRotationInterval } from './rotation'
import { lockUser, markUserSessionsRevoked } from './sessions'
import { userView, type UserView } from './views'

// The admin side of SPEC §7: each use case checks the caller's permission itself.

type AdminInput = { caller: AccessClaims }
type AdminChange = AdminInput & { userId: string; client: ClientInfo }

const NO_SUCH_USER = { detail: 'No such user.' }

export async function listUsers(input: AdminInput & { limit: number; cursor?: string }): Promise<Outcome<{ users: Array<UserView & { createdAt: string }>; nextCursor: string | null }>> {
  const options = input
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
    ok: true,
    users: page.map((user) => ({ ...userView(user), createdAt: user.createdAt.toISOString() })),
    nextCursor: rows.length > options.limit ? page.at(-1)!.id : null,
  }
}

/** PATCH /api/admin/users/{id}: takes effect on the user's next request (their live access tokens answer ACCESS_TOKEN_STALE). */
export async function changeRole(input: AdminChange & { role: Role }, nowMs: number): Promise<Outcome<{ user: UserView }>> {
  const { userId, role, client } = input
  if (!isId(userId)) return fail('NOT_FOUND', NO_SUCH_USER)
  const db = await getDb()
  return db.transaction(async (tx): Promise<Outcome<{ user: UserView }>> => {
    // Lock the admins first, always in id order: two admins demoting each other at once then run
    // one after the other (no deadlock), and the second sees the first's change.
    const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).orderBy(asc(users.id)).for('update')
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update')
    if (!user) return fail('NOT_FOUND', NO_SUCH_USER)
    if (user.role === role) return { ok: true, user: userView(user) }
    if (user.role === 'admin' && admins.every((admin) => admin.id === userId)) {
      return fail('VALIDATION_FAILED', { detail: 'The last admin cannot lose the admin role.', errors: { role: ['At least one admin must remain'] } })
    }
    const [changed] = await tx.update(users).set({ role, updatedAt: new Date(nowMs) }).where(eq(users.id, userId)).returning()
    // The new claims must reach the user at their next refresh, even one that comes right after a
    // rotation. The stale cut-off comes from that update, not from `nowMs`: a refresh that read the
    // old role holds its session row, so the update waited for it to commit and sees the time it
    // issued at, however late its request started; a sign-in reads the role under a share lock
    // (startSession) and is waited for too. A cut-off of `nowMs` would let such a token keep the old
    // role for a whole access lifetime. Written just before the commit (docs/decisions/013).
    const staleFrom = cutoffAfterIssued(nowMs, await restartRotationInterval(tx, userId))
    await recordAudit(tx, { event: 'role_changed', at: new Date(nowMs), userId, ip: client.ip, userAgent: client.userAgent, detail: { from: user.role, to: role, by: input.caller.sub } })
    await markUserTokensStale(userId, staleFrom)
    return { ok: true, user: userView(changed!) }
  })
}

/** POST /api/admin/users/{id}/revoke-sessions: every session revoked and denied, every access token issued before now denied, in one transaction. */
export async function signOutEverywhere(input: AdminChange, nowMs: number): Promise<Outcome<{ revoked: number }>> {
  const { userId, client } = input
  if (!isId(userId)) return fail('NOT_FOUND', NO_SUCH_USER)
  const db = await getDb()
  return db.transaction(async (tx): Promise<Outcome<{ revoked: number }>> => {
    if (!(await lockUser(tx, userId))) return fail('NOT_FOUND', NO_SUCH_USER)
    const revoked = await markUserSessionsRevoked(tx, userId, 'admin', nowMs, client)
    await denyUserTokensBefore(userId, nowMs)
    return { ok: true, revoked: revoked.length }
  })
}

export type AuditQuery = { userId?: string; sessionId?: string; event?: AuditEvent; from?: Date; to?: Date; limit: number; cursor?: number }

/**
 * GET /api/admin/audit: newest first; the cursor is the last id of the previous page (ids grow with
 * time). Each row carries the person's email and the session's device label, read by primary key,
 * so that the screen can show names instead of ids (decision 028).
 */
export async function listAudit(input: AdminInput & AuditQuery) {
  const query = input
  const db = await getDb()
  const conditions: SQL[] = []
  if (query.userId) conditions.push(eq(auditEvents.userId, query.userId))
  if (query.sessionId) conditions.push(eq(auditEvents.sessionId, query.sessionId))
  if (query.event) conditions.push(eq(auditEvents.event, query.event))
  if (query.from) conditions.push(gte(auditEvents.at, query.from))
  if (query.to) conditions.push(lte(auditEvents.at, query.to))
  if (query.cursor !== undefined) conditions.push(lt(auditEvents.id, query.cursor))
  const rows = await db
    .select({ event: auditEvents, userEmail: users.email, deviceLabel: sessions.deviceLabel })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.userId))
    .leftJoin(sessions, eq(sessions.id, auditEvents.sessionId))
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(query.limit + 1)
  const page = rows.slice(0, query.limit)
  return {
    ok: true as const,
    items: page.map(({ event: row, userEmail, deviceLabel }) => ({
      id: String(row.id),
      at: row.at.toISOString(),
      event: row.event,
      userId: row.userId,
      userEmail,
      sessionId: row.sessionId,
      deviceLabel,
      tokenType: row.tokenType,
      jti: row.jti,
      ip: row.ip,
      userAgent: row.userAgent,
      detail: row.detail,
    })),
    nextCursor: rows.length > query.limit ? String(page.at(-1)!.event.id) : null,
  }
}
