import 'server-only'
import { recordAudit } from '@/lib/audit'
import type { UserInfo } from '@/lib/shared/api-types'
import type { ClientInfo } from '@/lib/shared/client-info'
import { fail, type Outcome } from '@/lib/shared/outcome'
import { getDb } from '@/lib/store/db'
import { acceptDeviceId } from './device-id'
import { getKeySet } from './keys'
import { checkLimit, guardPasswordAttempt, rateLimited } from './limits'
import { hashPassword, HashingBusyError, needsRehash, verifyAgainstDummy, verifyPassword } from './passwords'
import type { IssuedTokens } from './rotation'
import { startSession } from './sessions'
import { takeSignInSlot } from './sign-in-slots'
import { findUserByEmail, upgradePasswordHash } from './users'
import { sessionView, userView, type SessionView } from './views'

export type SignInInput = {
  email: string
  password: string
  rememberMe: boolean
  transport: 'cookie' | 'bearer'
  /** The device id the browser (cookie) or client (`X-Device-Id`) offered; kept only if we issued it. */
  offeredDeviceId: string | null | undefined
  client: ClientInfo
}

export type SignedIn = { user: UserInfo; session: SessionView; tokens: IssuedTokens; rememberMe: boolean; deviceId: string }

const WRONG = 'The email or password is wrong.'

/**
 * POST /api/auth/login (SPEC §7): the address's attempt budget, one of its sign-in slots, the
 * email+address failure budget (spent before the password is checked), the same hashing work
 * whether or not the email exists, then a new session on a device id we issued.
 */
export async function signIn(input: SignInInput, nowMs: number): Promise<Outcome<SignedIn>> {
  const { client } = input
  const limited = await checkLimit('login_ip', client.network, client)
  if (limited) return limited
  const slot = takeSignInSlot(client.network)
  if (!slot) return rateLimited('login_concurrency', 1, client)
  try {
    const attempt = await guardPasswordAttempt(input.email, client)
    if (!attempt.ok) return attempt
    let valid = false
    let user: Awaited<ReturnType<typeof findUserByEmail>> = null
    try {
      user = await findUserByEmail(input.email)
      // Same work whether or not the email exists: no account enumeration by timing.
      valid = user ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDummy(input.password)
      await attempt.settle(valid ? 'correct' : 'wrong')
    } finally {
      await attempt.settle('unchecked') // a check that never finished (busy, database down) counts nothing
    }
    if (!user || !valid) {
      await recordAudit(await getDb(), { event: 'login_failed', at: new Date(nowMs), userId: user?.id, ip: client.ip, userAgent: client.userAgent, detail: { reason: user ? 'wrong_password' : 'unknown_email' } })
      return fail('INVALID_CREDENTIALS', { detail: WRONG })
    }
    if (needsRehash(user.passwordHash)) await rehash(user.id, user.passwordHash, input.password)
    const deviceId = acceptDeviceId(input.offeredDeviceId, await getKeySet())
    // Stamped now, not when the request began: the password check may have waited its turn for
    // seconds, and the tokens owe the client their whole lifetime (issue 10).
    const started = await startSession({ user, rememberMe: input.rememberMe, deviceId, client, transport: input.transport }, Date.now())
    if (!started) return fail('INVALID_CREDENTIALS', { detail: WRONG })
    const { session, tokens } = started
    return { ok: true, user: userView(user), session: sessionView(session, tokens.access.exp, tokens.refresh.exp), tokens, rememberMe: input.rememberMe, deviceId }
  } catch (error) {
    if (HashingBusyError.is(error)) return fail('SERVICE_UNAVAILABLE', { detail: 'The server is busy checking passwords. Try again in a moment.', retryAfter: error.retryAfter })
    throw error
  } finally {
    slot.release()
  }
}

/** An scrypt (or weaker argon2id) hash becomes argon2id at the current cost; a busy server just tries next time. */
async function rehash(userId: string, checked: string, password: string): Promise<void> {
  try {
    await upgradePasswordHash(userId, checked, await hashPassword(password))
  } catch (error) {
    if (!HashingBusyError.is(error)) throw error
  }
}
