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

export function resetLimit(name: LimitName, subject: string): Promise<void> {
  return getRateLimiter().reset(key(name, subject), limitRule(name))
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

/**
 * A password guess (sign-in, or the current password when changing it) spends from the
 * email+IP failure budget *before* it is checked, so parallel guesses cannot overdraw it; a correct
 * password gives the budget back. Once spent, even the right password waits (SPEC §7).
 */
export async function guardPasswordAttempt(email: string, client: ClientInfo, userId?: string | null): Promise<{ ok: true; succeeded(): Promise<void> } | Failure> {
  const subject = `${email.trim().toLowerCase()}|${client.network}`
  const result = await spendLimit('login_failures', subject)
  if (!result.ok) return rateLimited('login_failures', result.retryAfterSeconds, client, userId)
  return { ok: true, succeeded: () => resetLimit('login_failures', subject) }
}
