// How far the server's clock is from this browser's (SPEC §9 expiry tracking). Token times come
// from the server; the browser plans with its own clock. A laptop running minutes ahead would
// otherwise warn and sign out idle people minutes early (or at once), and refresh before the
// server rotates. Every answer's Date header is a reading; the offset is shared by all tabs.

export const OFFSET_KEY = 'njjwt.server-offset'
/** The Date header has whole seconds: gaps below this are noise, not a wrong clock. */
const NOISE_MS = 1_500

let fallbackOffset = 0 // when localStorage is unavailable
const listeners = new Set<() => void>()

/** Server clock minus this browser's clock, in ms (0 when they agree). */
export function serverOffsetMs(): number {
  try {
    const stored = Number(window.localStorage.getItem(OFFSET_KEY))
    return Number.isFinite(stored) ? stored : 0
  } catch {
    return fallbackOffset
  }
}

/** A server time (epoch ms) as this browser's clock shows it at the same moment. */
export const toLocalTime = (serverTime: number) => serverTime - serverOffsetMs()

/**
 * Takes one reading: the answer's Date header, and when the request left and the answer came.
 * The server read its clock somewhere in the second the header names, about halfway through the
 * round trip. Small changes are ignored so one second of rounding never moves anything.
 */
export function noteServerDate(dateHeader: string | null, sentAt: number, receivedAt: number) {
  const serverSecond = dateHeader ? Date.parse(dateHeader) : Number.NaN
  if (!Number.isFinite(serverSecond)) return
  const measured = serverSecond + 500 - (sentAt + receivedAt) / 2
  const current = serverOffsetMs()
  if (Math.abs(measured - current) < NOISE_MS) return
  const next = Math.abs(measured) < NOISE_MS ? 0 : Math.round(measured / 1000) * 1000
  fallbackOffset = next
  try {
    if (next === 0) window.localStorage.removeItem(OFFSET_KEY)
    else window.localStorage.setItem(OFFSET_KEY, String(next))
  } catch {
    // Private mode: this tab keeps the reading.
  }
  for (const listener of [...listeners]) listener()
}

/** Calls `listener` when this tab's reading changes the offset (other tabs: the storage event). */
export function subscribeServerOffset(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
