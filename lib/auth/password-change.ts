import 'server-only'
import { eq } from 'drizzle-orm'
import { recordAudit } from '@/lib/audit'
import type { ClientInfo } from '@/lib/http/client-info'
import { ProblemError } from '@/lib/http/errors'
import { getDb } from '@/lib/store/db'
import { refreshTokens, sessions, users, type SessionRow, type UserRow } from '@/lib/store/schema'
import { cutoffAfterIssued, denyUserTokensBefore } from './denylist'
import { issueTokens, type IssuedTokens } from './issue'
import { hashPassword } from './passwords'
import { markUserSessionsRevoked } from './sessions'

/**
 * SPEC §7: a new password ends every other session at once and rotates this one. In one
 * transaction: the new hash, the other sessions revoked, this session's current refresh token
 * retired, the audit row, and the denylist entries (written last, so a KV that refuses them rolls
 * it all back: docs/decisions/013). Every access token of the user issued before the change dies.
 */
export async function changePassword(
  input: { user: UserRow; session: SessionRow; newPassword: string; client: ClientInfo },
  nowMs: number,
): Promise<{ tokens: IssuedTokens; session: SessionRow }> {
  const passwordHash = await hashPassword(input.newPassword)
  const db = await getDb()
  return db.transaction(async (tx) => {
    // Locks in the role change's order (user row, then sessions), so the two never deadlock.
    const [user] = await tx.update(users).set({ passwordHash, updatedAt: new Date(nowMs) }).where(eq(users.id, input.user.id)).returning()
    // This session, locked and read again: a refresh of it that ran while the new password was
    // being hashed has committed, so its token is the one retired below (no fork of the family),
    // and the cut-off is later than the access token it issued (its lastUsedAt).
    const [session] = await tx.select().from(sessions).where(eq(sessions.id, input.session.id)).for('update')
    if (!user || !session || session.revokedAt) throw new ProblemError('ACCESS_TOKEN_REVOKED')
    const at = cutoffAfterIssued(nowMs, [session.lastUsedAt])
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
    const previous = session.currentTokenId
    const tokens = await issueTokens(tx, user, session, at, previous, input.client)
    if (previous) {
      // Retired with no sealed successor: a copy of the old token gets no grace replay of these
      // tokens (lib/auth/refresh.ts answers it 401 within the grace, and as reuse after it).
      await tx.update(refreshTokens).set({ usedAt: new Date(at), successorId: tokens.refresh.jti, successorSealed: null }).where(eq(refreshTokens.id, previous))
    }
    // Tokens issued before `at` die; the new pair was issued at `at` (its jti says so) and lives.
    await denyUserTokensBefore(user.id, at)
    const [current] = await tx.select().from(sessions).where(eq(sessions.id, session.id))
    return { tokens, session: current! }
  })
}
