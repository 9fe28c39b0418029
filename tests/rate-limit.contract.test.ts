import { beforeEach, describe, expect, it, vi } from 'vitest'
import { KvUnavailableError } from '@/lib/store/kv'
import type { RateLimiter } from '@/lib/store/rate-limit'
import { createUpstashRateLimiter } from '@/lib/store/rate-limit-upstash'
import { rateLimiterBackends } from './support/backends'

// 2030-01-01T00:00:00Z is a whole number of minutes, quarter hours and hours.
const WINDOW_START = Date.UTC(2030, 0, 1)

// Habit 3 (STYLE.md): the in-process and the Upstash limiter pass one suite (SPEC §7).
describe.each(rateLimiterBackends())('RateLimiter contract: $name', ({ create }) => {
  const rule = { limit: 3, windowSeconds: 60 }
  let limiter: RateLimiter
  const advance = (ms: number) => vi.setSystemTime(Date.now() + ms)

  // Both limiters take the window from the caller's Date.now (@upstash/ratelimit's
  // fixedWindow puts the window number in the Redis key; Redis TTLs only clean up), so a
  // frozen fake clock moves Redis's windows too and no test can straddle a window edge.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(WINDOW_START + 20_000)
    limiter = create()
  })

  it('allows exactly `limit` calls in a window, then denies until the window ends', async () => {
    const results = []
    for (let i = 0; i < 4; i++) results.push(await limiter.limit('ip:203.0.113.7', rule))
    expect(results.map((r) => [r.ok, r.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ])
    expect(results.slice(0, 3).every((r) => r.retryAfterSeconds === 0)).toBe(true)
    // 20 s into a 60 s window: Retry-After is the rest of it.
    expect(results[3]!.retryAfterSeconds).toBe(40)
    advance(39_500)
    const late = await limiter.limit('ip:203.0.113.7', rule)
    expect(late).toMatchObject({ ok: false, retryAfterSeconds: 1 })
  })

  it('counts each key, and each rule for the same key, on its own', async () => {
    for (let i = 0; i < 3; i++) await limiter.limit('login:a@example.com', rule)
    expect((await limiter.limit('login:a@example.com', rule)).ok).toBe(false)
    expect(await limiter.limit('login:b@example.com', rule)).toMatchObject({ ok: true, remaining: 2 })
    expect(await limiter.limit('login:a@example.com', { limit: 10, windowSeconds: 60 })).toMatchObject({ ok: true, remaining: 9 })
  })

  it('allows again once the window has passed', async () => {
    for (let i = 0; i < 4; i++) await limiter.limit('ip:198.51.100.1', rule)
    advance(39_999)
    expect((await limiter.limit('ip:198.51.100.1', rule)).ok).toBe(false)
    advance(1)
    expect(await limiter.limit('ip:198.51.100.1', rule)).toMatchObject({ ok: true, remaining: 2, retryAfterSeconds: 0 })
  })

  it('reset clears the count of that key only', async () => {
    const keys = ['login:a@example.com|2001:db8::1', 'login:a@example.com|2001:db8::1:2', 'login:a*', 'login:ab']
    for (const key of keys) for (let i = 0; i < 3; i++) await limiter.limit(key, rule)
    await limiter.reset(keys[0]!, rule)
    await limiter.reset(keys[2]!, rule)
    expect(await limiter.limit(keys[0]!, rule)).toMatchObject({ ok: true, remaining: 2 })
    expect(await limiter.limit(keys[2]!, rule)).toMatchObject({ ok: true, remaining: 2 })
    // A key that merely starts with, or matches the glob of, a reset key keeps its count.
    expect((await limiter.limit(keys[1]!, rule)).ok).toBe(false)
    expect((await limiter.limit(keys[3]!, rule)).ok).toBe(false)
    await expect(limiter.reset('login:never-seen', rule)).resolves.toBeUndefined()
  })

  it('lets exactly `limit` of 20 concurrent calls through', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.limit('ip:192.0.2.9', { limit: 5, windowSeconds: 60 })))
    expect(results.filter((r) => r.ok)).toHaveLength(5)
    expect(results.filter((r) => !r.ok).every((r) => r.retryAfterSeconds >= 1 && r.retryAfterSeconds <= 60)).toBe(true)
  })
})

describe('RateLimiter over an unreachable Upstash endpoint', () => {
  // Fails closed, like the KV: a limiter that cannot count must not let everyone through.
  const limiter = createUpstashRateLimiter({ url: 'http://127.0.0.1:9', token: 'unused' })
  const rule = { limit: 5, windowSeconds: 60 }

  it.each([
    ['limit', () => limiter.limit('ip:192.0.2.1', rule)],
    ['reset', () => limiter.reset('ip:192.0.2.1', rule)],
  ])('%s rejects with KvUnavailableError quickly instead of hanging', async (_, call) => {
    const start = Date.now()
    await expect(call()).rejects.toBeInstanceOf(KvUnavailableError)
    expect(Date.now() - start).toBeLessThan(2_000)
  })
})
