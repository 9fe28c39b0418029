// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CLOCK_KEY, clearSessionClock, getSessionClock, recordSession, subscribeSessionClock } from './session-clock'
import { sessionInfo } from './testing/fake-api'

beforeEach(() => {
  clearSessionClock()
  localStorage.clear()
})

describe('SPEC §9 expiry tracking: times in localStorage, never tokens', () => {
  it('stores the session id and times only', () => {
    const now = Date.now()
    recordSession(sessionInfo({ now }), now)
    const stored = JSON.parse(localStorage.getItem(CLOCK_KEY)!)
    expect(Object.keys(stored).sort()).toEqual(['accessExpiresAt', 'expiresAt', 'refreshedAt', 'rememberMe', 'sessionId'])
    expect(stored.refreshedAt).toBe(now)
  })

  it('a later access expiry is a new token: refreshedAt moves to now', () => {
    recordSession(sessionInfo({ accessInMs: 60_000, now: 0 }), 0)
    recordSession(sessionInfo({ accessInMs: 900_000, now: 0 }), 5000)
    expect(getSessionClock()).toMatchObject({ accessExpiresAt: 900_000, refreshedAt: 5000 })
  })

  it('an older answer arriving late never moves the clock back', () => {
    recordSession(sessionInfo({ accessInMs: 900_000, now: 0 }), 5000)
    recordSession(sessionInfo({ accessInMs: 60_000, now: 0 }), 6000)
    expect(getSessionClock()).toMatchObject({ accessExpiresAt: 900_000, refreshedAt: 5000 })
  })

  it('the same times again keep refreshedAt (a page load is not a refresh)', () => {
    recordSession(sessionInfo({ now: 0 }), 1000)
    recordSession(sessionInfo({ now: 0 }), 9000)
    expect(getSessionClock()?.refreshedAt).toBe(1000)
  })

  it('hears another tab’s write through the storage event', () => {
    const listener = vi.fn()
    const stop = subscribeSessionClock(listener)
    window.dispatchEvent(new StorageEvent('storage', { key: CLOCK_KEY, newValue: '{}' }))
    window.dispatchEvent(new StorageEvent('storage', { key: 'something-else', newValue: '{}' }))
    stop()
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('ignores a damaged stored value', () => {
    localStorage.setItem(CLOCK_KEY, '{"sessionId": 3}')
    expect(getSessionClock()).toBeNull()
  })
})
