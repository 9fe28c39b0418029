import type { RateLimiter } from './types'

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

  return {
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
