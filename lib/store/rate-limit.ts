import { getConfig } from '@/lib/config'
import { createMemoryRateLimiter } from './rate-limit-memory'
import { createUpstashRateLimiter } from './rate-limit-upstash'

/** `limit` requests per `windowSeconds` (SPEC §4.7, §7 rate limits). */
export type RateLimitRule = { limit: number; windowSeconds: number }

export type RateLimitResult = {
  ok: boolean
  remaining: number
  /** Whole seconds until the window ends: ≥ 1 when !ok (for `Retry-After`), 0 when ok. */
  retryAfterSeconds: number
}

/**
 * Fixed windows aligned to the epoch (window n covers [n·w, (n+1)·w)), the semantics of
 * @upstash/ratelimit's fixedWindow, so memory and Redis pass one contract suite
 * (tests/rate-limit.contract.test.ts). Every call counts, allowed or not. A key is
 * counted per rule: the same key under two rules has two counters.
 */
export interface RateLimiter {
  limit(key: string, rule: RateLimitRule): Promise<RateLimitResult>
  /** Forgets the key's count in the current window (after a successful login, say). */
  reset(key: string, rule: RateLimitRule): Promise<void>
}

const globalLimiter = globalThis as { __njjwtRateLimiter?: RateLimiter }

export function getRateLimiter(): RateLimiter {
  if (!globalLimiter.__njjwtRateLimiter) {
    const { kv } = getConfig()
    globalLimiter.__njjwtRateLimiter =
      kv.kind === 'upstash' ? createUpstashRateLimiter({ url: kv.url, token: kv.token }) : createMemoryRateLimiter()
  }
  return globalLimiter.__njjwtRateLimiter
}

/** Tests only: use this limiter (or a fresh one from the configuration when omitted). */
export function setRateLimiterForTests(limiter: RateLimiter | undefined): void {
  globalLimiter.__njjwtRateLimiter = limiter
}
