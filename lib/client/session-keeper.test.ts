// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSessionClient } from './session-client'
import { CLOCK_KEY } from './session-clock'
import { installFakeApi, json, sessionInfo } from './testing/fake-api'

const SECOND = 1000
const MIN = 60 * SECOND
const START = Date.parse('2030-01-01T09:00:00Z')

async function startKeeper({ accessInMs = 15 * MIN, endInMs = 12 * 60 * MIN, proactiveMs = MIN, warningMs = 2 * MIN, activeAtStart = false, notDueBefore = 0, browserAheadMs = 0 } = {}) {
  // A fresh client per test: one tab, on the real localStorage and the storage-event channel.
  const client = createSessionClient()
  const { keeper, events, clock } = client
  // The session as the server states it, on its own clock; the browser's reading of the gap.
  if (browserAheadMs) localStorage.setItem('njjwt.server-offset', String(-browserAheadMs))
  clock.record(sessionInfo({ accessInMs, endInMs, now: START - browserAheadMs }), START)
  const signedOut: string[] = []
  events.onSignedOut((reason) => signedOut.push(reason))
  const api = installFakeApi(({ path }) => {
    if (path === '/api/auth/refresh') {
      // A server whose clock runs behind ours: "not yet due" (SPEC §4.6) until notDueBefore.
      if (Date.now() < notDueBefore) return json(200, { rotated: false, session: sessionInfo({ accessInMs: START + accessInMs - Date.now(), endInMs: endInMs - (Date.now() - START) }) })
      return json(200, { rotated: true, session: sessionInfo({ endInMs: endInMs - (Date.now() - START) }) })
    }
    return new Response(null, { status: 204 })
  })
  const stop = keeper.start({ proactiveMs, warningMs, activeAtStart })
  return {
    expiryWarning: keeper.expiryWarning,
    staySignedIn: keeper.staySignedIn,
    getSessionClock: clock.get,
    CLOCK_KEY,
    api,
    signedOut,
    stop,
    refreshes: () => api.count('POST', '/api/auth/refresh'),
  }
}

const move = () => window.dispatchEvent(new PointerEvent('pointermove'))
const setVisibility = (state: 'visible' | 'hidden') => {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
  document.dispatchEvent(new Event('visibilitychange'))
}
const sentMessages = (setItem: { mock: { calls: string[][] } }) =>
  setItem.mock.calls.filter(([key]) => key === 'njjwt.tab-message').map(([, value]) => JSON.parse(value!).message)

let stopKeeper: (() => void) | undefined
beforeEach(() => {
  vi.useFakeTimers({ now: START })
  localStorage.clear()
  vi.stubGlobal('BroadcastChannel', undefined)
})
afterEach(() => {
  stopKeeper?.()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  Reflect.deleteProperty(document, 'visibilityState')
})

describe('SPEC §9 proactive refresh only for people active since the last refresh', () => {
  it('an active person is refreshed AUTH_PROACTIVE_REFRESH before expiry and never warned', async () => {
    const keeper = await startKeeper()
    stopKeeper = keeper.stop
    const warnings: unknown[] = []
    keeper.expiryWarning.subscribe(() => warnings.push(keeper.expiryWarning.get()))

    await vi.advanceTimersByTimeAsync(MIN)
    move()
    await vi.advanceTimersByTimeAsync(13 * MIN - SECOND)
    expect(keeper.refreshes()).toBe(0)
    await vi.advanceTimersByTimeAsync(SECOND)
    expect(keeper.refreshes()).toBe(1)

    // The next lifetime, active again: one refresh per lifetime.
    await vi.advanceTimersByTimeAsync(MIN)
    move()
    await vi.advanceTimersByTimeAsync(14 * MIN)
    expect(keeper.refreshes()).toBe(2)
    expect(warnings).toEqual([])
  })

  it('an idle person is not refreshed: warned AUTH_WARNING_BEFORE before expiry, then signed out at it', async () => {
    const keeper = await startKeeper()
    stopKeeper = keeper.stop

    await vi.advanceTimersByTimeAsync(13 * MIN - SECOND)
    expect(keeper.expiryWarning.get()).toBeNull()
    await vi.advanceTimersByTimeAsync(SECOND)
    expect(keeper.expiryWarning.get()).toMatchObject({ canExtend: true, deadline: START + 15 * MIN, secondsLeftAtOpen: 120 })

    await vi.advanceTimersByTimeAsync(2 * MIN)
    expect(keeper.refreshes()).toBe(0)
    expect(keeper.api.count('POST', '/api/auth/logout')).toBe(1)
    expect(keeper.signedOut).toEqual(['expired'])
    expect(keeper.expiryWarning.get()).toBeNull()
  })

  it('a mouse moving while the warning is up is not an answer', async () => {
    const keeper = await startKeeper()
    stopKeeper = keeper.stop
    await vi.advanceTimersByTimeAsync(13 * MIN)
    move()
    await vi.advanceTimersByTimeAsync(90 * SECOND)
    expect(keeper.refreshes()).toBe(0)
    expect(keeper.expiryWarning.get()).not.toBeNull()
  })

  it('arriving on the page counts: the first lifetime is refreshed, the warning comes in the next', async () => {
    const keeper = await startKeeper({ activeAtStart: true })
    stopKeeper = keeper.stop
    await vi.advanceTimersByTimeAsync(14 * MIN)
    expect(keeper.refreshes()).toBe(1)
    expect(keeper.expiryWarning.get()).toBeNull()
    await vi.advanceTimersByTimeAsync(13 * MIN)
    expect(keeper.expiryWarning.get()).toMatchObject({ canExtend: true, deadline: START + 29 * MIN })
  })

  it('activity after the proactive moment, before any warning, refreshes at once', async () => {
    const keeper = await startKeeper({ warningMs: 30 * SECOND })
    stopKeeper = keeper.stop
    await vi.advanceTimersByTimeAsync(14 * MIN + 10 * SECOND)
    expect(keeper.refreshes()).toBe(0)
    move()
    await vi.advanceTimersByTimeAsync(0)
    expect(keeper.refreshes()).toBe(1)
  })
})

describe('SPEC §9 on a browser whose clock is wrong', () => {
  it('5 minutes ahead: an idle person is warned 2 minutes before the real expiry, not at once', async () => {
    const keeper = await startKeeper({ browserAheadMs: 5 * MIN })
    stopKeeper = keeper.stop
    await vi.advanceTimersByTimeAsync(13 * MIN - SECOND)
    expect(keeper.expiryWarning.get()).toBeNull()
    expect(keeper.signedOut).toEqual([])
    await vi.advanceTimersByTimeAsync(SECOND)
    expect(keeper.expiryWarning.get()).toMatchObject({ canExtend: true, secondsLeftAtOpen: 120 })
  })

  it('5 minutes behind: an active person is refreshed before the real expiry, not 5 minutes after it', async () => {
    const keeper = await startKeeper({ browserAheadMs: -5 * MIN })
    stopKeeper = keeper.stop
    await vi.advanceTimersByTimeAsync(MIN)
    move()
    await vi.advanceTimersByTimeAsync(13 * MIN - SECOND)
    expect(keeper.refreshes()).toBe(0)
    await vi.advanceTimersByTimeAsync(SECOND)
    expect(keeper.refreshes()).toBe(1)
  })
})

describe('SPEC §9 a hidden tab coming back into view', () => {
  it('with a token about to expire: refreshes', async () => {
    const keeper = await startKeeper({ warningMs: 30 * SECOND })
    stopKeeper = keeper.stop
    setVisibility('hidden')
    await vi.advanceTimersByTimeAsync(14 * MIN + 10 * SECOND)
    setVisibility('visible')
    await vi.advanceTimersByTimeAsync(0)
    expect(keeper.refreshes()).toBe(1)
  })

  it('after the machine slept past expiry: signs out instead of refreshing', async () => {
    const keeper = await startKeeper()
    stopKeeper = keeper.stop
    setVisibility('hidden')
    vi.setSystemTime(START + 40 * MIN) // timers did not run while asleep
    setVisibility('visible')
    await vi.advanceTimersByTimeAsync(0)
    expect(keeper.refreshes()).toBe(0)
    expect(keeper.signedOut).toEqual(['expired'])
  })
})

describe('SPEC §9 answering the warning', () => {
  it('[Stay signed in] refreshes, closes the warning and tells the other tabs', async () => {
    const keeper = await startKeeper()
    stopKeeper = keeper.stop
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    await vi.advanceTimersByTimeAsync(13 * MIN)
    expect(keeper.expiryWarning.get()).not.toBeNull()

    await expect(keeper.staySignedIn()).resolves.toMatchObject({ ok: true })
    expect(keeper.refreshes()).toBe(1)
    expect(keeper.expiryWarning.get()).toBeNull()
    expect(sentMessages(setItem)).toContainEqual({ type: 'extended' })
  })

  it('a "not yet due" answer (clocks apart) still keeps the person: the proactive refresh extends once due', async () => {
    const keeper = await startKeeper({ notDueBefore: START + 14 * MIN + 10 * SECOND })
    stopKeeper = keeper.stop
    await vi.advanceTimersByTimeAsync(13 * MIN)
    expect(keeper.expiryWarning.get()).not.toBeNull()

    await expect(keeper.staySignedIn()).resolves.toMatchObject({ ok: true, rotated: false, skipped: false })
    expect(keeper.expiryWarning.get()).toBeNull()
    const accessEnd = START + 15 * MIN
    expect(keeper.getSessionClock()?.accessExpiresAt).toBe(accessEnd)

    await vi.advanceTimersByTimeAsync(MIN + 20 * SECOND)
    expect(keeper.getSessionClock()!.accessExpiresAt).toBeGreaterThan(accessEnd)
    expect(keeper.signedOut).toEqual([])
    expect(keeper.expiryWarning.get()).toBeNull()
  })

  it('closes here when another tab extended the session (shared clock changed)', async () => {
    const keeper = await startKeeper()
    stopKeeper = keeper.stop
    await vi.advanceTimersByTimeAsync(13 * MIN)
    expect(keeper.expiryWarning.get()).not.toBeNull()

    // What another tab's refresh leaves behind: new times in storage, then a storage event here.
    const otherTab = { sessionId: 'session-1', accessExpiresAt: Date.now() + 15 * MIN, expiresAt: START + 720 * MIN, refreshedAt: Date.now(), rememberMe: false }
    localStorage.setItem(keeper.CLOCK_KEY, JSON.stringify(otherTab))
    window.dispatchEvent(new StorageEvent('storage', { key: keeper.CLOCK_KEY }))
    expect(keeper.expiryWarning.get()).toBeNull()
  })

  it('near the absolute end: cannot extend; dismissed in another tab, it closes here too', async () => {
    const keeper = await startKeeper({ accessInMs: 10 * MIN, endInMs: 10 * MIN })
    stopKeeper = keeper.stop
    await vi.advanceTimersByTimeAsync(8 * MIN)
    expect(keeper.expiryWarning.get()).toMatchObject({ canExtend: false })

    const message = { type: 'warning-dismissed', expiresAt: START + 10 * MIN }
    window.dispatchEvent(new StorageEvent('storage', { key: 'njjwt.tab-message', newValue: JSON.stringify({ message }) }))
    expect(keeper.expiryWarning.get()).toBeNull()
    await vi.advanceTimersByTimeAsync(2 * MIN)
    expect(keeper.signedOut).toEqual(['expired'])
  })
})
