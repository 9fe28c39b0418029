import 'server-only'
import { eq } from 'drizzle-orm'
import { recordAudit } from '@/lib/audit'
import type { UserInfo } from '@/lib/shared/api-types'
import type { ClientInfo } from '@/lib/shared/client-info'
import { fail, type Outcome } from '@/lib/shared/outcome'
import { getDb } from '@/lib/store/db'
import { sessions, users, type SessionRow, type UserRow } from '@/lib/store/schema'
import type { AccessClaims } from './tokens'
import { cutoffAfterIssued, denyUserTokensBefore } from './denylist'
import { guardPasswordAttempt } from './limits'
import { hashPassword, HashingBusyError, verifyPassword } from './passwords'
import { rotate, type IssuedTokens } from './rotation'
import { findSession, lockUser, markUserSessionsRevoked } from './sessions'
import { findUserById } from './users'
import { sessionView, userView, type SessionView } from './views'

export type PasswordChangeInput = { caller: AccessClaims; currentPassword: string; newPassword: string; client: ClientInfo }
export type PasswordChanged = { user: UserInfo; session: SessionView; tokens: IssuedTokens; rememberMe: boolean; deviceId: string }

/**
 * POST /api/auth/password (SPEC §7): the current password is a password guess (the sign-in failure
 * budget), then the new one ends every other session at once and rotates this one.
 */
export async function changePassword(input: PasswordChangeInput, nowMs: number): Promise<Outcome<PasswordChanged>> {
  const [user, session] = await Promise.all([findUserById(input.caller.sub), findSession(input.caller.sid)])
  if (!user || !session || session.revokedAt) return fail('ACCESS_TOKEN_REVOKED')
  const attempt = await guardPasswordAttempt(user.email, input.client, user.id)
  if (!attempt.ok) return attempt
  try {
    let valid: boolean
    try {
      valid = await verifyPassword(input.currentPassword, user.passwordHash)
    } catch (error) {
      await attempt.settle('unchecked') // never checked (busy): counts nothing
      throw error
    }
    await attempt.settle(valid ? 'correct' : 'wrong')
    if (!valid) {
      // 400, not 401: a wrong current password must not look like a dead session to the client.
      return fail('VALIDATION_FAILED', { detail: 'The current password is wrong.', errors: { currentPassword: ['The current password is wrong'] } })
    }
    const changed = await replacePassword({ user, session, newPassword: input.newPassword, client: input.client }, nowMs)
    if (!changed) return fail('ACCESS_TOKEN_REVOKED')
    const { tokens, session: current } = changed
    return { ok: true, user: userView(user), session: sessionView(current, tokens.access.exp, tokens.refresh.exp), tokens, rememberMe: current.rememberMe, deviceId: current.deviceId }
  } catch (error) {
    if (HashingBusyError.is(error)) return fail('SERVICE_UNAVAILABLE', { detail: 'The server is busy checking passwords. Try again in a moment.', retryAfter: error.retryAfter })
    throw error
  }
}

/**
 * The new hash, the other sessions revoked, this session's current refresh token retired with no
 * grace replay (lib/auth/rotation.ts), the audit row, and the denylist entries, in one transaction
 * (written last, so a KV that refuses them rolls it all back: docs/decisions/013). Every access
 * token of the user issued before the change dies. Null if this session ended meanwhile.
 */
async function replacePassword(input: { user: UserRow; session: SessionRow; newPassword: string; client: ClientInfo }, nowMs: number): Promise<{ tokens: IssuedTokens; session: SessionRow } | null> {
  const passwordHash = await hashPassword(input.newPassword)
  const db = await getDb()
  return db.transaction(async (tx) => {
    // Locks in the role change's order (user row, then sessions), so the two never deadlock.
    if (!(await lockUser(tx, input.user.id))) return null
    // This session, locked and read again: a refresh of it that ran while the new password was
    // being hashed has committed, so its token is the one retired below (no fork of the family),
    // and the cut-off is later than the access token it issued (its lastUsedAt).
    const [session] = await tx.select().from(sessions).where(eq(sessions.id, input.session.id)).for('update')
    if (!session || session.revokedAt) return null
    const [user] = await tx.update(users).set({ passwordHash, updatedAt: new Date(nowMs) }).where(eq(users.id, input.user.id)).returning()
    if (!user) return null
    // The cut-off, and the new pair's issue time: now (after the hash and the lock), and later than
    // the newest pair this session issued.
    const at = cutoffAfterIssued(Date.now(), [session.lastUsedAt])
    const revoked = await markUserSessionsRevoked(tx, user.id, 'password_changed', at, input.client, session.id)
    await recordAudit(tx, {
      event: 'password_changed',
      at: new Date(at),
      userId: user.id,
      sessionId: session.id,
      ip: input.client.ip,
      userAgent: input.client.userAgent,
      detail: { otherSessionsRevoked: revoked.length },
    })
    const tokens = await rotate(tx, { user, session, nowMs: at, client: input.client, used: session.currentTokenId, sealWith: null })
    // Tokens issued before `at` die; the new pair was issued at `at` (its jti says so) and lives.
    await denyUserTokensBefore(user.id, at)
    const [current] = await tx.select().from(sessions).where(eq(sessions.id, session.id))
    return { tokens, session: current! }
  })
}
