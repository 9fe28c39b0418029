import 'server-only'
import { eq } from 'drizzle-orm'
import { recordAudit } from '@/lib/audit'
import type { ClientInfo } from '@/lib/http/client-info'
import { getDb } from '@/lib/store/db'
import { refreshTokens, sessions, users, type SessionRow, type UserRow } from '@/lib/store/schema'
import { denyUserTokensBefore } from './denylist'
import { issueTokens, type IssuedTokens } from './issue'
import { hashPassword } from './passwords'
import { seal } from './seal'
import { markUserSessionsRevoked } from './sessions'

/**
 * SPEC §7: a new password ends every other session at once and rotates this one. In one
 * transaction: the new hash, the other sessions revoked, this session's current refresh token
 * replaced, the audit row, and the denylist entries (written last, so a KV that refuses them rolls
 * it all back: docs/decisions/013). Every access token of the user issued before this moment dies.
 */
export async function changePassword(
  input: { user: UserRow; session: SessionRow; newPassword: string; refreshToken?: string; client: ClientInfo },
  nowMs: number,
): Promise<{ tokens: IssuedTokens; session: SessionRow }> {
  const passwordHash = await hashPassword(input.newPassword)
  const db = await getDb()
  const tokens = await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date(nowMs) }).where(eq(users.id, input.user.id))
    const revoked = await markUserSessionsRevoked(tx, input.user.id, 'password_changed', nowMs, input.client, input.session.id)
    await recordAudit(tx, {
      event: 'password_changed',
      at: new Date(nowMs),
      userId: input.user.id,
      sessionId: input.session.id,
      ip: input.client.ip,
      userAgent: input.client.userAgent,
      detail: { otherSessionsRevoked: revoked.length },
    })
    const previous = input.session.currentTokenId
    const tokens = await issueTokens(tx, input.user, input.session, nowMs, previous, input.client)
    if (previous) {
      // The old refresh token becomes a used one: a replay in the grace gets these same tokens
      // (when we hold its value to seal them under), later it is reuse.
      const sealed = input.refreshToken ? seal(JSON.stringify(tokens), input.refreshToken, previous) : null
      await tx.update(refreshTokens).set({ usedAt: new Date(nowMs), successorId: tokens.refresh.jti, successorSealed: sealed }).where(eq(refreshTokens.id, previous))
    }
    // Tokens issued before now die; the new pair was issued at `nowMs` (its jti says so) and lives.
    await denyUserTokensBefore(input.user.id, nowMs)
    return tokens
  })
  const [session] = await db.select().from(sessions).where(eq(sessions.id, input.session.id))
  return { tokens, session: session! }
}
