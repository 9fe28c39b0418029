// "Active since the last refresh" (SPEC §9) decides between a silent proactive refresh and the
// idle warning. Activity in any tab counts for all, so its time is shared through
// localStorage; only the first activity after each refresh changes a decision, so only that
// one is written.

export const ACTIVITY_KEY = 'njjwt.last-activity'

// Pointer, keys, scroll (SPEC §9). Becoming visible counts too, see watchActivity.
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'scroll', 'touchstart'] as const
/** Ignore further events for this long: pointermove fires at frame rate. */
const EVENT_THROTTLE_MS = 1000

let fallback = 0 // when localStorage is unavailable

export function lastActivityAt(): number {
  try {
    const stored = Number(window.localStorage.getItem(ACTIVITY_KEY))
    return Math.max(Number.isFinite(stored) ? stored : 0, fallback)
  } catch {
    return fallback
  }
}

/** Records activity at `now` if none was recorded since `refreshedAt`; true when it wrote. */
export function recordActivity(now: number, refreshedAt: number): boolean {
  if (lastActivityAt() >= refreshedAt) return false
  fallback = now
  try {
    window.localStorage.setItem(ACTIVITY_KEY, String(now))
  } catch {
    // This tab still knows; other tabs will ask for themselves.
  }
  return true
}

/**
 * Calls `onActivity` on input (at most once a second) and `onVisible` when the tab comes back
 * into view (the caller checks expiry before it counts that as activity).
 */
export function watchActivity(onActivity: () => void, onVisible: () => void): () => void {
  let lastEventAt = 0
  const onEvent = () => {
    const now = Date.now()
    if (now - lastEventAt < EVENT_THROTTLE_MS) return
    lastEventAt = now
    onActivity()
  }
  const onVisibility = () => {
    if (document.visibilityState === 'visible') onVisible()
  }
  const options = { capture: true, passive: true }
  for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onEvent, options)
  document.addEventListener('visibilitychange', onVisibility)
  return () => {
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onEvent, options)
    document.removeEventListener('visibilitychange', onVisibility)
  }
}

/** Calls `listener` when another tab records activity. */
export function subscribeOtherTabsActivity(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === ACTIVITY_KEY) listener()
  }
  window.addEventListener('storage', onStorage)
  return () => window.removeEventListener('storage', onStorage)
}
