// How far the server's clock is from this browser's (SPEC §9 expiry tracking, decision 012).
// Token times come from the server; the browser plans with its own clock. A laptop running
// minutes ahead would otherwise warn and sign out idle people minutes early (or at once), and
// refresh before the server rotates. Every answer's Date header is a reading; the offset is
// shared by all tabs.

import type { SharedStorage } from './shared-storage'

export const OFFSET_KEY = 'njjwt.server-offset'
/** The Date header has whole seconds: gaps below this are noise, not a wrong clock. */
const NOISE_MS = 1_500

export type ServerTime = {
  /** Server clock minus this browser's clock, in ms (0 when they agree). */
  offsetMs: () => number
  /** A server time (epoch ms) as this browser's clock shows it at the same moment. */
  toLocalTime: (serverTime: number) => number
  /** One reading: the answer's Date header, and when the request left and the answer came. */
  noteServerDate: (dateHeader: string | null, sentAt: number, receivedAt: number) => void
  /** Calls `listener` when this tab's reading changes the offset (other tabs: the storage event). */
  subscribe: (listener: () => void) => () => void
}

export function createServerTime(storage: SharedStorage): ServerTime {
  const listeners = new Set<() => void>()

  function offsetMs(): number {
    const stored = Number(storage.read(OFFSET_KEY))
    return Number.isFinite(stored) ? stored : 0
  }

  return {
    offsetMs,
    toLocalTime: (serverTime) => serverTime - offsetMs(),
    // The server read its clock somewhere in the second the header names, about halfway through
    // the round trip. Small changes are ignored so one second of rounding never moves anything.
    noteServerDate(dateHeader, sentAt, receivedAt) {
      const serverSecond = dateHeader ? Date.parse(dateHeader) : Number.NaN
      if (!Number.isFinite(serverSecond)) return
      const measured = serverSecond + 500 - (sentAt + receivedAt) / 2
      if (Math.abs(measured - offsetMs()) < NOISE_MS) return
      const next = Math.abs(measured) < NOISE_MS ? 0 : Math.round(measured / 1000) * 1000
      storage.write(OFFSET_KEY, next === 0 ? null : String(next))
      for (const listener of [...listeners]) listener()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
