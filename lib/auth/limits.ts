import { recordAudit } from '@/lib/audit'
import { getConfig } from '@/lib/config'
import { fail, type Failure } from '@/lib/shared/outcome'
import type { ClientInfo } from '@/lib/shared/client-info'
import { getDb } from '@/lib/store/db'
import { getRateLimiter, type RateLimitResult, type RateLimitRule } from '@/lib/store/rate-limit'

// The request budgets of SPEC §4.7 and §7, named once. Keys never hold a token, only an address
// (`ClientInfo.network`: the IPv4 address or the IPv6 /64), an email or a session id.

export type LimitName = 'login_ip' | 'login_failures' | 'register_ip' | 'refresh_ip'

export function limitRule(name: LimitName): RateLimitRule {
  const { limits } = getConfig()
  switch (name) {
    case 'login_ip':
      return { limit: limits.loginPerIp, windowSeconds: 15 * 60 }
    case 'login_failures':
      return { limit: limits.loginFailures, windowSeconds: 15 * 60 }
    case 'register_ip':
      return { limit: limits.registerPerIp, windowSeconds: 60 * 60 }
    case 'refresh_ip':
      return { limit: limits.refreshPerIp, windowSeconds: 60 }
  }
}

const key = (name: LimitName, subject: string) => `${name}:${subject}`

/** Counts one request against the budget. */
export function spendLimit(name: LimitName, subject: string): Promise<RateLimitResult> {
  return getRateLimiter().limit(key(name, subject), limitRule(name))
}

/** Audits `rate_limited` and answers 429 with its Retry-After. */
export async function rateLimited(name: LimitName | 'login_concurrency', retryAfterSeconds: number, client: ClientInfo, userId?: string | null): Promise<Failure> {
  await recordAudit(await getDb(), { event: 'rate_limited', at: new Date(), userId, ip: client.ip, userAgent: client.userAgent, detail: { limit: name } })
  return fail('RATE_LIMITED', { detail: 'Too many attempts. Wait a moment and try again.', retryAfter: retryAfterSeconds })
}

/** Spends from the budget: null while it lasts, the 429 once it is spent. */
export async function checkLimit(name: LimitName, subject: string, client: ClientInfo): Promise<Failure | null> {
  const result = await spendLimit(name, subject)
  return result.ok ? null : rateLimited(name, result.retryAfterSeconds, client)
}

/** A password check in flight holds its slot at most this long if it never ends (a crashed instance). */
const ATTEMPT_HOLD_SECONDS = 30
/** How long an attempt waits for the checks in flight ahead of it before it gives up (429). */
const ATTEMPT_WAIT_MS = 10_000
const ATTEMPT_POLL_MS = 25

export type PasswordAttempt = { ok: true; settle(result: 'correct' | 'wrong' | 'unchecked'): Promise<void> }

/**
 * A password guess (sign-in, or the current password when changing it) against the email+IP
 * failure budget (SPEC §7): at most AUTH_LOGIN_LIMIT wrong guesses per window, however many arrive
 * at once on however many instances. A guess holds a slot of the budget while it is checked, so
 * parallel guesses cannot overdraw it; one that finds every slot held by checks in flight waits for
 * them instead of being refused, so the right password is never turned away because other attempts
 * were under way (16 people of one office signing in to one account at once). A right password
 * clears the window's count; once `limit` guesses were wrong, even the right one waits.
 */
export async function guardPasswordAttempt(email: string, client: ClientInfo, userId?: string | null): Promise<PasswordAttempt | Failure> {
  const key = `login_failures:${email.trim().toLowerCase()}|${client.network}`
  const rule = limitRule('login_failures')
  const limiter = getRateLimiter()
  // performance.now, not Date.now: a test's fake Date must not freeze the deadline.
  const deadline = performance.now() + ATTEMPT_WAIT_MS
  for (;;) {
    const verdict = await limiter.beginAttempt(key, rule, ATTEMPT_HOLD_SECONDS)
    if (verdict.state === 'go') {
      let settled = false
      return {
        ok: true,
        settle: async (result) => {
          if (settled) return
          settled = true
          await limiter.endAttempt(key, rule, result)
        },
      }
    }
    if (verdict.state === 'locked') return rateLimited('login_failures', verdict.retryAfterSeconds, client, userId)
    if (performance.now() >= deadline) return rateLimited('login_failures', 1, client, userId)
    await new Promise((resolve) => setTimeout(resolve, ATTEMPT_POLL_MS))
  }
}
