// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createServerTime, OFFSET_KEY, type ServerTime } from './server-time'
import { browserStorage } from './shared-storage'

const T = Date.parse('2030-01-01T09:00:00.000Z')
const MIN = 60_000
/** A Date header for a server reading its clock at `serverMs`: whole seconds, truncated. */
const header = (serverMs: number) => new Date(Math.floor(serverMs / 1000) * 1000).toUTCString()

// A fresh reader per test, on the real localStorage.
let serverTime: ServerTime
beforeEach(() => {
  localStorage.clear()
  serverTime = createServerTime(browserStorage())
})
const noteServerDate = (dateHeader: string | null, sentAt: number, receivedAt: number) => serverTime.noteServerDate(dateHeader, sentAt, receivedAt)
const serverOffsetMs = () => serverTime.offsetMs()
const toLocalTime = (serverMs: number) => serverTime.toLocalTime(serverMs)
const subscribeServerOffset = (listener: () => void) => serverTime.subscribe(listener)

describe('the server clock offset (SPEC §9 expiry tracking on a browser whose clock is wrong)', () => {
  it('clocks that agree to the second stay at 0, whatever the rounding of the header', () => {
    const listener = vi.fn()
    const stop = subscribeServerOffset(listener)
    for (const serverAt of [T - 999, T - 400, T, T + 999]) noteServerDate(header(serverAt), T - 40, T + 40)
    stop()
    expect(serverOffsetMs()).toBe(0)
    expect(localStorage.getItem(OFFSET_KEY)).toBeNull()
    expect(listener).not.toHaveBeenCalled()
  })

  it('a browser 5 minutes ahead: server times are read 5 minutes later on this clock', () => {
    noteServerDate(header(T - 5 * MIN), T - 50, T + 50)
    // Within the second the header can tell.
    expect(Math.abs(serverOffsetMs() + 5 * MIN)).toBeLessThanOrEqual(1_000)
    expect(Math.abs(toLocalTime(T + 20_000) - (T + 5 * MIN + 20_000))).toBeLessThanOrEqual(1_000)
    // Shared with the other tabs through storage.
    expect(localStorage.getItem(OFFSET_KEY)).toBe(String(serverOffsetMs()))
  })

  it('ignores a second of jitter once learned, and follows a real change (the clock was fixed)', () => {
    noteServerDate(header(T + 90_000), T, T + 100)
    expect(serverOffsetMs()).toBe(90_000)
    const listener = vi.fn()
    const stop = subscribeServerOffset(listener)
    noteServerDate(header(T + 5_000 + 90_900), T + 5_000, T + 5_100)
    expect(serverOffsetMs()).toBe(90_000)
    expect(listener).not.toHaveBeenCalled()
    noteServerDate(header(T + 10_000), T + 10_000, T + 10_080)
    expect(serverOffsetMs()).toBe(0)
    expect(localStorage.getItem(OFFSET_KEY)).toBeNull()
    expect(listener).toHaveBeenCalledTimes(1)
    stop()
  })

  it('a missing or unreadable Date header changes nothing', () => {
    noteServerDate(null, T, T + 10)
    noteServerDate('yesterday-ish', T, T + 10)
    expect(serverOffsetMs()).toBe(0)
  })
})
