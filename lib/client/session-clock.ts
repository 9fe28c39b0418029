// The session's times, shared by every tab through localStorage (SPEC §9 "expiry tracking"),
// so all tabs count down to the same moment and plan the same refresh. Only times and the
// session id live here, never a token (SPEC §3). Stored as the server said them; read on this
// browser's clock (./server-time.ts), so a clock minutes off still plans right.

import type { SessionInfo } from '@/lib/shared/api-types'
import { OFFSET_KEY, type ServerTime } from './server-time'
import type { SharedStorage } from './shared-storage'

export type SessionClock = {
  sessionId: string
  /** Epoch ms (this browser's clock) when the current access token stops working. */
  accessExpiresAt: number
  /** Epoch ms (this browser's clock) of the absolute end (`session.expiresAt`): no refresh reaches past it. */
  expiresAt: number
  /** Epoch ms when a tab last saw a new access token (sign-in or rotation). */
  refreshedAt: number
  rememberMe: boolean
}

export const CLOCK_KEY = 'njjwt.session-clock'

export type SessionClockStore = {
  /** The shared clock, or null when no session is known. Same object until the stored value or the server offset changes. */
  get: () => SessionClock | null
  /** Records the times of a session the API just described (`now`: when it arrived). */
  record: (session: SessionInfo, now?: number) => SessionClock | null
  clear: () => void
  /** Calls `listener` when this tab or another one changes the clock or the server offset. */
  subscribe: (listener: () => void) => () => void
}

function parseClock(raw: string | null): SessionClock | null {
  if (!raw) return null
  try {
    const value = JSON.parse(raw) as Partial<SessionClock>
    const times = [value.accessExpiresAt, value.expiresAt, value.refreshedAt]
    if (typeof value.sessionId !== 'string' || !times.every((t) => typeof t === 'number' && Number.isFinite(t))) return null
    return value as SessionClock
  } catch {
    return null
  }
}

/** The session as the server states it (server time). */
function clockFromSession(session: SessionInfo, refreshedAt: number): SessionClock | null {
  const accessExpiresAt = Date.parse(session.accessTokenExpiresAt)
  const expiresAt = Date.parse(session.expiresAt)
  if (!Number.isFinite(accessExpiresAt) || !Number.isFinite(expiresAt)) return null
  return { sessionId: session.id, accessExpiresAt, expiresAt, refreshedAt, rememberMe: session.rememberMe }
}

type ClockDeps = { storage: SharedStorage; serverTime: ServerTime; now: () => number }

export function createSessionClock({ storage, serverTime, now }: ClockDeps): SessionClockStore {
  const listeners = new Set<() => void>()
  let cachedRaw: string | null | undefined
  let cachedOffset = 0
  let cachedClock: SessionClock | null = null

  const notify = () => {
    for (const listener of [...listeners]) listener()
  }
  const write = (raw: string | null) => {
    storage.write(CLOCK_KEY, raw)
    notify()
  }

  function get(): SessionClock | null {
    const raw = storage.read(CLOCK_KEY)
    const offset = serverTime.offsetMs()
    if (raw !== cachedRaw || offset !== cachedOffset) {
      cachedRaw = raw
      cachedOffset = offset
      const stored = parseClock(raw)
      cachedClock = stored && { ...stored, accessExpiresAt: stored.accessExpiresAt - offset, expiresAt: stored.expiresAt - offset }
    }
    return cachedClock
  }

  return {
    get,
    // A later access expiry means a new access token was issued about now; an earlier one is an
    // older answer arriving late and must not undo a newer refresh. Compared and stored in server
    // time: a new reading of the offset never looks like a new token.
    record(session, at = now()) {
      const current = parseClock(storage.read(CLOCK_KEY))
      const next = clockFromSession(session, at)
      if (!next) return get()
      if (current && current.sessionId === next.sessionId) {
        if (next.accessExpiresAt < current.accessExpiresAt) return get()
        if (next.accessExpiresAt === current.accessExpiresAt) {
          if (next.expiresAt === current.expiresAt && next.rememberMe === current.rememberMe) return get()
          next.refreshedAt = current.refreshedAt
        }
      }
      write(JSON.stringify(next))
      return get()
    },
    clear() {
      if (storage.read(CLOCK_KEY) !== null) write(null)
    },
    subscribe(listener) {
      listeners.add(listener)
      const stopOtherTabs = storage.onOtherTabChange((key) => {
        // key null = another tab cleared all storage.
        if (key === CLOCK_KEY || key === OFFSET_KEY || key === null) listener()
      })
      const stopOffset = serverTime.subscribe(listener)
      return () => {
        listeners.delete(listener)
        stopOtherTabs()
        stopOffset()
      }
    },
  }
}
