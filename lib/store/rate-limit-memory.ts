import type { AttemptResult, RateLimiter, RateLimitRule } from './types'

type Counter = { window: number; count: number; endsAt: number }

/**
 * The embedded limiter: one counter per rule and key for the current fixed window.
 * Time comes from Date.now (fake clocks work); ended windows are swept on writes, so
 * memory stays bounded by the keys seen in their current window.
 */
export function createMemoryRateLimiter(): RateLimiter {
  const counters = new Map<string, Counter>()
  let writesSinceSweep = 0

  function sweep(now: number): void {
    if (++writesSinceSweep < 1000) return
    writesSinceSweep = 0
    for (const [id, counter] of counters) if (counter.endsAt <= now) counters.delete(id)
  }

  // Password checks in flight per key and rule (beginAttempt/endAttempt), with their hold deadline.
  const pending = new Map<string, { count: number; expiresAt: number }>()
  const id = (key: string, { limit, windowSeconds }: RateLimitRule) => `${limit}:${windowSeconds}:${key}`

  function failures(key: string, rule: RateLimitRule, now: number): Counter | undefined {
    const counter = counters.get(`attempt:${id(key, rule)}`)
    return counter && counter.window === Math.floor(now / (rule.windowSeconds * 1000)) ? counter : undefined
  }

  function inFlight(key: string, rule: RateLimitRule, now: number) {
    const held = pending.get(id(key, rule))
    return held && held.expiresAt > now ? held : undefined
  }

  return {
    async beginAttempt(key, rule, holdSeconds) {
      const now = Date.now()
      const failed = failures(key, rule, now)
      if (failed && failed.count >= rule.limit) return { state: 'locked', retryAfterSeconds: Math.max(1, Math.ceil((failed.endsAt - now) / 1000)) }
      const held = inFlight(key, rule, now)
      if ((failed?.count ?? 0) + (held?.count ?? 0) >= rule.limit) return { state: 'wait' }
      pending.set(id(key, rule), { count: (held?.count ?? 0) + 1, expiresAt: now + holdSeconds * 1000 })
      return { state: 'go' }
    },
    async endAttempt(key, rule, result: AttemptResult) {
      const now = Date.now()
      const held = inFlight(key, rule, now)
      if (held && held.count > 1) held.count -= 1
      else pending.delete(id(key, rule))
      const attemptId = `attempt:${id(key, rule)}`
      if (result === 'correct') counters.delete(attemptId)
      if (result !== 'wrong') return
      const windowMs = rule.windowSeconds * 1000
      const window = Math.floor(now / windowMs)
      const counter = failures(key, rule, now) ?? { window, count: 0, endsAt: (window + 1) * windowMs }
      counter.count += 1
      counters.set(attemptId, counter)
      sweep(now)
    },
    async limit(key, { limit, windowSeconds }) {
      const now = Date.now()
      const windowMs = windowSeconds * 1000
      const window = Math.floor(now / windowMs)
      const id = `${limit}:${windowSeconds}:${key}`
      let counter = counters.get(id)
      if (!counter || counter.window !== window) {
        counter = { window, count: 0, endsAt: (window + 1) * windowMs }
        counters.set(id, counter)
        sweep(now)
      }
      counter.count += 1
      const ok = counter.count <= limit
      const retryAfterSeconds = ok ? 0 : Math.max(1, Math.ceil((counter.endsAt - now) / 1000))
      return { ok, remaining: Math.max(0, limit - counter.count), retryAfterSeconds }
    },
    async reset(key, { limit, windowSeconds }) {
      counters.delete(`${limit}:${windowSeconds}:${key}`)
    },
  }
}
