import { getConfig } from '@/lib/config'
import { getKv } from '@/lib/store/kv'
import { uuidV7Time } from '@/lib/ids'
import type { AccessClaims } from './tokens'

// The access-token denylist in KV (SPEC §6). Keys live only as long as a token they could
// deny: an access token's remaining life plus the expiry grace.
//
// Every revocation writes its keys inside its database transaction, last before the commit
// (docs/decisions/013): a KV that refuses the write rolls the change back and the caller gets 503,
// so a change that answered 200 is in force on the next request on any instance. A commit that
// fails after the write leaves tokens denied that are still valid in the database: the safe side.

const key = {
  jti: (jti: string) => `deny:jti:${jti}`,
  session: (sid: string) => `deny:sid:${sid}`,
  userBefore: (userId: string) => `deny:user:${userId}`,
  staleBefore: (userId: string) => `stale:user:${userId}`,
}

function longestAccessLife(): number {
  const { ttl } = getConfig()
  return ttl.access + ttl.expiryGrace + 1
}

export async function denyAccessToken(claims: Pick<AccessClaims, 'jti' | 'exp'>, nowMs: number): Promise<void> {
  const remaining = claims.exp - Math.floor(nowMs / 1000) + getConfig().ttl.expiryGrace + 1
  if (remaining > 0) await getKv().set(key.jti(claims.jti), '1', remaining)
}

/** Every access token of the session stops working on the next request. */
export async function denySession(sessionId: string): Promise<void> {
  await getKv().set(key.session(sessionId), '1', longestAccessLife())
}

/**
 * An "issued before" cut-off later than every token the given sessions have issued: a session's
 * `lastUsedAt` is the issue time of its newest pair (lib/auth/issue.ts), written on the clock of
 * the instance that issued it. Read from rows the change holds locked, a refresh it waited for is
 * counted whatever time its request started at. One millisecond past, since a jti has
 * milliseconds only (docs/decisions/007). Never before `nowMs`.
 */
export function cutoffAfterIssued(nowMs: number, lastIssued: Date[]): number {
  return Math.max(nowMs, ...lastIssued.map((at) => at.getTime() + 1))
}

/** Password change, sign out everywhere: all of the user's tokens issued before `nowMs`. */
export async function denyUserTokensBefore(userId: string, nowMs: number): Promise<void> {
  await getKv().set(key.userBefore(userId), String(nowMs), longestAccessLife())
}

/** Role or permission change: tokens issued before `nowMs` answer ACCESS_TOKEN_STALE. */
export async function markUserTokensStale(userId: string, nowMs: number): Promise<void> {
  await getKv().set(key.staleBefore(userId), String(nowMs), longestAccessLife())
}

export type DenyStatus = 'ok' | 'revoked' | 'stale'

/** One KV round trip for all four checks (the gate's whole KV budget). */
export async function checkAccessToken(claims: Pick<AccessClaims, 'jti' | 'sid' | 'sub' | 'iat'>): Promise<DenyStatus> {
  const [jti, session, userBefore, staleBefore] = await getKv().getMany([
    key.jti(claims.jti),
    key.session(claims.sid),
    key.userBefore(claims.sub),
    key.staleBefore(claims.sub),
  ])
  // The jti is a UUIDv7, so its issue time is known to the millisecond; `iat` only to the second.
  const issuedAt = uuidV7Time(claims.jti) ?? claims.iat * 1000
  if (jti || session) return 'revoked'
  if (userBefore && issuedAt < Number(userBefore)) return 'revoked'
  if (staleBefore && issuedAt < Number(staleBefore)) return 'stale'
  return 'ok'
}
