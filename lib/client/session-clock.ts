// The session's times, shared by every tab through localStorage (SPEC §9 "expiry tracking"),
// so all tabs count down to the same moment and plan the same refresh. Only times and the
// session id live here, never a token (SPEC §3). Stored as the server said them; read on this
// browser's clock (./server-time.ts), so a clock minutes off still plans right.

import type { SessionInfo } from '@/lib/shared/api-types'
import { OFFSET_KEY, serverOffsetMs, subscribeServerOffset } from './server-time'

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

let fallbackRaw: string | null = null // when localStorage is unavailable (disabled, private mode)
let cachedRaw: string | null | undefined
let cachedOffset = 0
let cachedClock: SessionClock | null = null
const listeners = new Set<() => void>()

function readRaw(): string | null {
  try {
    return window.localStorage.getItem(CLOCK_KEY)
  } catch {
    return fallbackRaw
  }
}

function writeRaw(raw: string | null) {
  fallbackRaw = raw
  try {
    if (raw === null) window.localStorage.removeItem(CLOCK_KEY)
    else window.localStorage.setItem(CLOCK_KEY, raw)
  } catch {
    // Keep the in-memory copy: this tab still works, other tabs just don't hear of it.
  }
  for (const listener of [...listeners]) listener()
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

/** The shared clock, or null when no session is known. Same object until the stored value or the server offset changes. */
export function getSessionClock(): SessionClock | null {
  if (typeof window === 'undefined') return null
  const raw = readRaw()
  const offset = serverOffsetMs()
  if (raw !== cachedRaw || offset !== cachedOffset) {
    cachedRaw = raw
    cachedOffset = offset
    const stored = parseClock(raw)
    cachedClock = stored && { ...stored, accessExpiresAt: stored.accessExpiresAt - offset, expiresAt: stored.expiresAt - offset }
  }
  return cachedClock
}

/** The session as the server states it (server time). */
function clockFromSession(session: SessionInfo, refreshedAt: number): SessionClock | null {
  const accessExpiresAt = Date.parse(session.accessTokenExpiresAt)
  const expiresAt = Date.parse(session.expiresAt)
  if (!Number.isFinite(accessExpiresAt) || !Number.isFinite(expiresAt)) return null
  return { sessionId: session.id, accessExpiresAt, expiresAt, refreshedAt, rememberMe: session.rememberMe }
}

/**
 * Records the times of a session the API just described. A later access expiry means a new
 * access token was issued about now; an earlier one is an older answer arriving late and must
 * not undo a newer refresh.
 */
export function recordSession(session: SessionInfo, now = Date.now()): SessionClock | null {
  // Compared and stored in server time: a new reading of the offset never looks like a new token.
  const current = parseClock(readRaw())
  const next = clockFromSession(session, now)
  if (!next) return getSessionClock()
  if (current && current.sessionId === next.sessionId) {
    if (next.accessExpiresAt < current.accessExpiresAt) return getSessionClock()
    if (next.accessExpiresAt === current.accessExpiresAt) {
      if (next.expiresAt === current.expiresAt && next.rememberMe === current.rememberMe) return getSessionClock()
      next.refreshedAt = current.refreshedAt
    }
  }
  writeRaw(JSON.stringify(next))
  return getSessionClock()
}

export function clearSessionClock() {
  if (readRaw() !== null || fallbackRaw !== null) writeRaw(null)
}

function onStorage(event: StorageEvent) {
  // key null = another tab cleared all storage.
  if (event.key !== CLOCK_KEY && event.key !== OFFSET_KEY && event.key !== null) return
  for (const listener of [...listeners]) listener()
}

/** Calls `listener` when this tab or another one changes the clock. */
export function subscribeSessionClock(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('storage', onStorage)
  listeners.add(listener)
  const stopOffset = subscribeServerOffset(listener)
  return () => {
    stopOffset()
    listeners.delete(listener)
    if (listeners.size === 0) window.removeEventListener('storage', onStorage)
  }
}
