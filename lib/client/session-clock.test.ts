// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { OFFSET_KEY } from './server-time'
import { createSessionClient, type SessionClient } from './session-client'
import { CLOCK_KEY } from './session-clock'
import type { SessionInfo } from '@/lib/shared/api-types'
import { sessionInfo } from './testing/fake-api'

// A fresh client per test (its clock reads and writes the real localStorage).
let client: SessionClient
beforeEach(() => {
  localStorage.clear()
  client = createSessionClient()
})
const getSessionClock = () => client.clock.get()
const recordSession = (session: SessionInfo, now?: number) => client.clock.record(session, now)
const subscribeSessionClock = (listener: () => void) => client.clock.subscribe(listener)
const noteServerDate = (dateHeader: string | null, sentAt: number, receivedAt: number) => client.serverTime.noteServerDate(dateHeader, sentAt, receivedAt)

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

describe('read on this browser’s clock, stored as the server said it', () => {
  it('with a browser 5 minutes ahead, the expiry is read 5 minutes later; storage keeps the server’s times', () => {
    const serverNow = Date.parse('2030-01-01T09:00:00Z')
    recordSession(sessionInfo({ accessInMs: 20_000, now: serverNow }), serverNow + 300_000)
    localStorage.setItem(OFFSET_KEY, String(-300_000))
    expect(getSessionClock()).toMatchObject({ accessExpiresAt: serverNow + 300_000 + 20_000, refreshedAt: serverNow + 300_000 })
    expect(JSON.parse(localStorage.getItem(CLOCK_KEY)!).accessExpiresAt).toBe(serverNow + 20_000)
  })

  it('learning the offset is not a new token: the same session again keeps refreshedAt', () => {
    const serverNow = Date.parse('2030-01-01T09:00:00Z')
    recordSession(sessionInfo({ now: serverNow }), 1000)
    localStorage.setItem(OFFSET_KEY, String(120_000))
    recordSession(sessionInfo({ now: serverNow }), 9000)
    expect(getSessionClock()?.refreshedAt).toBe(1000)
  })

  it('tells clock listeners when the offset changes, here or in another tab', () => {
    const listener = vi.fn()
    const stop = subscribeSessionClock(listener)
    noteServerDate(new Date(Date.now() + 600_000).toUTCString(), Date.now(), Date.now())
    window.dispatchEvent(new StorageEvent('storage', { key: OFFSET_KEY }))
    stop()
    expect(listener).toHaveBeenCalledTimes(2)
  })
})

