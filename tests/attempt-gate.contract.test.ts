import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { RateLimiter } from '@/lib/store/rate-limit'
import { rateLimiterBackends } from './support/backends'

// The password-guess budget of SPEC §7 as every limiter backend keeps it (lib/store/types.ts
// beginAttempt/endAttempt): `limit` slots per window, held by checks in flight and kept by wrong
// guesses; a right guess clears the window.
const WINDOW_START = Date.UTC(2030, 0, 1)

describe.each(rateLimiterBackends())('attempt budget contract: $name', ({ create }) => {
  const rule = { limit: 3, windowSeconds: 60 }
  let limiter: RateLimiter
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(WINDOW_START + 20_000)
    limiter = create()
  })

  it('lets `limit` checks run at once; the next waits while they are in flight', async () => {
    const verdicts = await Promise.all(Array.from({ length: 5 }, () => limiter.beginAttempt('a@example.test|192.0.2.1', rule, 30)))
    expect(verdicts.filter((v) => v.state === 'go')).toHaveLength(3)
    expect(verdicts.filter((v) => v.state === 'wait')).toHaveLength(2)
  })

  it('a check that ends wrong keeps its slot; `limit` wrong ones lock the key until the window ends', async () => {
    const key = 'b@example.test|192.0.2.1'
    for (let i = 0; i < 3; i++) {
      expect(await limiter.beginAttempt(key, rule, 30)).toEqual({ state: 'go' })
      await limiter.endAttempt(key, rule, 'wrong')
    }
    expect(await limiter.beginAttempt(key, rule, 30)).toEqual({ state: 'locked', retryAfterSeconds: 40 })
    vi.setSystemTime(WINDOW_START + 60_000)
    expect(await limiter.beginAttempt(key, rule, 30)).toEqual({ state: 'go' })
  })

  it('a right one clears the count, and an unchecked one gives its slot back without counting', async () => {
    const key = 'c@example.test|192.0.2.1'
    for (let i = 0; i < 2; i++) {
      await limiter.beginAttempt(key, rule, 30)
      await limiter.endAttempt(key, rule, 'wrong')
    }
    await limiter.beginAttempt(key, rule, 30)
    await limiter.endAttempt(key, rule, 'unchecked')
    await limiter.beginAttempt(key, rule, 30)
    await limiter.endAttempt(key, rule, 'correct')
    const verdicts = await Promise.all(Array.from({ length: 4 }, () => limiter.beginAttempt(key, rule, 30)))
    expect(verdicts.map((v) => v.state).sort()).toEqual(['go', 'go', 'go', 'wait'])
  })

  it('counts each key and each rule on its own', async () => {
    for (let i = 0; i < 3; i++) await limiter.beginAttempt('d@example.test|192.0.2.1', rule, 30)
    expect(await limiter.beginAttempt('d@example.test|192.0.2.2', rule, 30)).toEqual({ state: 'go' })
    expect(await limiter.beginAttempt('d@example.test|192.0.2.1', { limit: 5, windowSeconds: 60 }, 30)).toEqual({ state: 'go' })
  })
})
