import { Ratelimit } from '@upstash/ratelimit'
import { Redis } from '@upstash/redis'
import { KvUnavailableError } from './errors'
import { attemptKeys, BEGIN_ATTEMPT, beginArgs, END_ATTEMPT, endArgs, verdictOf } from './attempt-scripts'
import type { RateLimiter, RateLimitRule } from './types'

/**
 * @upstash/ratelimit's fixedWindow (one Lua script, atomic across server instances).
 * Fails closed like the KV: an unreachable Redis or a timeout is a KvUnavailableError
 * (→ 503), never a silent allow; the library on its own answers success on timeout.
 */
export function createUpstashRateLimiter(options: { url: string; token: string; prefix?: string }): RateLimiter {
  const redis = new Redis({ url: options.url, token: options.token, retry: { retries: 1, backoff: () => 50 } })
  const prefix = options.prefix ?? 'rl'
  const limiters = new Map<string, Ratelimit>()

  // One instance per rule (few rules, so the map stays small); the rule is in the prefix.
  function limiterFor({ limit, windowSeconds }: RateLimitRule): Ratelimit {
    const id = `${limit}:${windowSeconds}`
    let limiter = limiters.get(id)
    if (!limiter) {
      limiter = new Ratelimit({
        redis,
        limiter: Ratelimit.fixedWindow(limit, `${windowSeconds} s`),
        prefix: `${prefix}:${id}`,
        // The in-process block cache would outlive reset() on other instances.
        ephemeralCache: false,
        timeout: 5_000,
        enableProtection: false,
        analytics: false,
      })
      limiters.set(id, limiter)
    }
    return limiter
  }

  return {
    async beginAttempt(key, rule, holdSeconds) {
      const keys = attemptKeys(prefix, safeIdentifier(key), rule)
      const reply = await unavailableOnError('beginAttempt', () => redis.eval(BEGIN_ATTEMPT, [keys.failures, keys.pending], beginArgs(rule, holdSeconds)))
      return verdictOf(reply, keys.windowEndsAt)
    },
    async endAttempt(key, rule, result) {
      const keys = attemptKeys(prefix, safeIdentifier(key), rule)
      await unavailableOnError('endAttempt', () => redis.eval(END_ATTEMPT, [keys.failures, keys.pending], endArgs(result, keys.windowEndsAt)))
    },
    async limit(key, rule) {
      const result = await unavailableOnError('limit', () => limiterFor(rule).limit(safeIdentifier(key)))
      if (result.reason === 'timeout') throw new KvUnavailableError('Rate limit timed out')
      return {
        ok: result.success,
        remaining: result.remaining,
        // `reset` is the window's end in ms since the epoch.
        retryAfterSeconds: result.success ? 0 : Math.max(1, Math.ceil((result.reset - Date.now()) / 1000)),
      }
    },
    async reset(key, rule) {
      await unavailableOnError('reset', () => limiterFor(rule).resetUsedTokens(safeIdentifier(key)))
    },
  }
}

/**
 * resetUsedTokens deletes by the pattern `prefix:identifier:*` (SCAN MATCH), so glob
 * characters or a colon in a key (an email, an IPv6 address) could reset other keys'
 * counters. Percent-encoding them keeps one key to one counter.
 */
function safeIdentifier(key: string): string {
  return key.replace(/[%:*?[\]\\]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
}

async function unavailableOnError<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw new KvUnavailableError(`Rate limit ${operation} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
