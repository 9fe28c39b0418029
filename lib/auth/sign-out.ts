import 'server-only'
import { recordAudit } from '@/lib/audit'
import { getConfig } from '@/lib/config'
import type { ClientInfo } from '@/lib/shared/client-info'
import type { Outcome } from '@/lib/shared/outcome'
import { getDb } from '@/lib/store/db'
import { denyAccessToken } from './denylist'
import { getKeySet } from './keys'
import { findSession, markSessionRevoked } from './sessions'
import { verifyToken, type TokenType } from './tokens'

/**
 * POST /api/auth/logout (SPEC §6): denies the access token's jti and revokes its session. Either token identifies
 * the session; an expired one still does (its signature is what counts), a forged one never.
 * The denylist entries are written inside the transaction, last: a KV that refuses them rolls the
 * revocation back and the caller gets 503, never a 200 for a session whose tokens still pass.
 */
export async function signOut(input: { accessToken?: string; refreshToken?: string; client: ClientInfo }, nowMs: number): Promise<Outcome<{ loggedOut: true }>> {
  const access = await identify('access', input.accessToken, nowMs)
  const refresh = await identify('refresh', input.refreshToken, nowMs)
  const sid = access?.sid ?? refresh?.sid
  const sub = access?.sub ?? refresh?.sub
  if (!sid || !sub) return DONE
  const session = await findSession(sid)
  if (!session || session.userId !== sub) {
    if (access) await denyAccessToken(access, nowMs)
    return DONE
  }
  const db = await getDb()
  await db.transaction(async (tx) => {
    const revoked = await markSessionRevoked(tx, session, 'logout', nowMs, input.client)
    const who = { at: new Date(nowMs), userId: sub, sessionId: sid, ip: input.client.ip, userAgent: input.client.userAgent }
    if (revoked) await recordAudit(tx, { ...who, event: 'logout', tokenType: access ? 'access' : 'refresh', jti: access?.jti ?? refresh?.jti })
    if (access) {
      await recordAudit(tx, { ...who, event: 'token_revoked', tokenType: 'access', jti: access.jti })
      await denyAccessToken(access, nowMs)
    }
  })
  return DONE
}

// Idempotent: whatever was left of the session has ended, or there was none (SPEC §7).
const DONE = { ok: true, loggedOut: true } as const

async function identify<T extends TokenType>(type: T, token: string | undefined, nowMs: number) {
  if (!token) return null
  const { issuer, audience } = getConfig()
  // A year of tolerance: expiry does not matter for ending a session, the signature does.
  const result = await verifyToken(type, token, await getKeySet(), { issuer, audience, now: nowMs, graceSeconds: 366 * 86400 })
  return result.ok ? result.claims : null
}
