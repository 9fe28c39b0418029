// "Active since the last refresh" (SPEC §9) decides between a silent proactive refresh and the
// idle warning. Activity in any tab counts for all, so its time is shared through
// localStorage; only the first activity after each refresh changes a decision, so only that
// one is written.

import type { SharedStorage } from './shared-storage'

export const ACTIVITY_KEY = 'njjwt.last-activity'

// Pointer, keys, scroll (SPEC §9). Becoming visible counts too, see `watch`.
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'scroll', 'touchstart'] as const
/** Ignore further events for this long: pointermove fires at frame rate. */
const EVENT_THROTTLE_MS = 1000

export type Activity = {
  lastActivityAt: () => number
  /** Records activity at `now` if none was recorded since `refreshedAt`; true when it wrote. */
  record: (now: number, refreshedAt: number) => boolean
  /**
   * Calls `onActivity` on input (at most once a second) and `onVisible` when the tab comes back
   * into view (the caller checks expiry before it counts that as activity).
   */
  watch: (onActivity: () => void, onVisible: () => void) => () => void
  /** Calls `listener` when another tab records activity. */
  subscribeOtherTabs: (listener: () => void) => () => void
}

export function createActivity({ storage, now }: { storage: SharedStorage; now: () => number }): Activity {
  let here = 0 // this tab's own last record, should the shared one not be written

  function lastActivityAt(): number {
    const stored = Number(storage.read(ACTIVITY_KEY))
    return Math.max(Number.isFinite(stored) ? stored : 0, here)
  }

  return {
    lastActivityAt,
    record(at, refreshedAt) {
      if (lastActivityAt() >= refreshedAt) return false
      here = at
      storage.write(ACTIVITY_KEY, String(at))
      return true
    },
    watch(onActivity, onVisible) {
      let lastEventAt = 0
      const onEvent = () => {
        const at = now()
        if (at - lastEventAt < EVENT_THROTTLE_MS) return
        lastEventAt = at
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
    },
    subscribeOtherTabs: (listener) =>
      storage.onOtherTabChange((key) => {
        if (key === ACTIVITY_KEY) listener()
      }),
  }
}
