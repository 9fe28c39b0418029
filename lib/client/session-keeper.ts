// Runs the expiry plan (./expiry-plan.ts) in one tab: timers for the proactive refresh, the
// idle warning and the sign-out at expiry, re-planned whenever the shared clock, activity or
// visibility changes. Every tab runs one; the shared clock and the refresh lock keep them in step.

import type { Activity } from './activity'
import { createExternalStore, type ExternalStore } from './external-store'
import { planSession } from './expiry-plan'
import type { RefreshOutcome, RefreshSession } from './refresh'
import type { SessionClockStore } from './session-clock'
import type { SessionEvents } from './session-events'
import type { TabChannel } from './tab-channel'

export type ExpiryWarning = { deadline: number; canExtend: boolean; secondsLeftAtOpen: number } | null

export type KeeperOptions = {
  proactiveMs: number
  warningMs: number
  /** Count the start as activity when the tab is in view: arriving on a page is the person's doing. */
  activeAtStart?: boolean
}

export type SessionKeeper = {
  /** The warning to show now, if any (the dialog reads it). */
  expiryWarning: ExternalStore<ExpiryWarning>
  /** Starts keeping the session; returns the stop. One keeper runs at a time per client. */
  start: (options: KeeperOptions) => () => void
  /**
   * [Stay signed in]: the answer is activity, and the refresh extends the session for every tab.
   * The warning opens inside AUTH_REFRESH_WINDOW (decision 011), so the server rotates; should it
   * still say "not yet due" (a clock running ahead), the person now counts as active and the
   * proactive refresh extends the session once it is due.
   */
  staySignedIn: () => Promise<RefreshOutcome>
  /** Near the absolute end: "keep working until then", for every tab. */
  dismissFinalWarning: () => void
}

/** After an answer that changed nothing (not yet due, or a failure without Retry-After). */
const RETRY_GAP_MS = 15_000
/** setTimeout overflows past 2^31-1 ms (~24.8 days; sessions last up to 30): wake at least hourly. */
const MAX_SLEEP_MS = 3_600_000

type KeeperDeps = {
  clock: SessionClockStore
  activity: Activity
  refresh: RefreshSession
  events: SessionEvents
  channel: TabChannel
  now: () => number
}

const sameWarning = (a: ExpiryWarning, b: ExpiryWarning) => a === b || (a !== null && b !== null && a.deadline === b.deadline && a.canExtend === b.canExtend)

function retryDelayMs(outcome: RefreshOutcome): number {
  return !outcome.ok && outcome.error.retryAfter ? outcome.error.retryAfter * 1000 : RETRY_GAP_MS
}

export function createSessionKeeper({ clock, activity, refresh, events, channel, now }: KeeperDeps): SessionKeeper {
  const expiryWarning = createExternalStore<ExpiryWarning>(null, sameWarning)
  /** The running keeper's hooks; null while none runs. */
  let running: { replan: () => void; dismiss: (expiresAt: number) => void } | null = null

  function start({ proactiveMs, warningMs, activeAtStart = false }: KeeperOptions): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined
    let refreshing = false
    let finished = false
    let dismissedEnd: number | null = null
    let refreshNotBefore = 0

    function replan() {
      clearTimeout(timer)
      if (finished || refreshing) return
      const current = events.isSignedOut() ? null : clock.get()
      if (!current) return expiryWarning.set(null)
      const at = now()
      const plan = planSession({ now: at, clock: current, lastActivityAt: activity.lastActivityAt(), proactiveMs, warningMs, dismissedEnd, refreshNotBefore })
      if (plan.step === 'sign-out') {
        finished = true
        expiryWarning.set(null)
        void events.signOut('expired')
        return
      }
      if (plan.step === 'refresh') return void refreshNow(at, current.accessExpiresAt)
      expiryWarning.set(plan.step === 'warn' ? { deadline: plan.deadline, canExtend: plan.canExtend, secondsLeftAtOpen: Math.round((plan.deadline - at) / 1000) } : null)
      timer = setTimeout(replan, Math.min(Math.max(0, plan.wakeAt - at), MAX_SLEEP_MS))
    }

    async function refreshNow(decidedAt: number, accessExpiresAt: number) {
      refreshing = true
      const outcome = await refresh({ since: decidedAt })
      refreshing = false
      const unchanged = clock.get()?.accessExpiresAt === accessExpiresAt
      if (!outcome.ok || unchanged) refreshNotBefore = now() + retryDelayMs(outcome)
      replan()
    }

    function onActivity() {
      // While the warning is up only an answer counts: a mouse passing over the dialog is not "yes".
      if (expiryWarning.get()) return
      const current = clock.get()
      if (current && activity.record(now(), current.refreshedAt)) replan()
    }

    // Back in view: first see whether the session ran out meanwhile, then count the return.
    const stopWatching = activity.watch(onActivity, () => {
      replan()
      onActivity()
    })
    const stopClock = clock.subscribe(replan)
    const stopOtherActivity = activity.subscribeOtherTabs(replan)
    const stopMessages = channel.subscribe((message) => {
      if (message.type === 'warning-dismissed') dismissedEnd = message.expiresAt
      if (message.type === 'warning-dismissed' || message.type === 'extended') replan()
    })
    if (activeAtStart && document.visibilityState === 'visible') onActivity()
    const hooks = {
      replan,
      dismiss(expiresAt: number) {
        dismissedEnd = expiresAt
        replan()
      },
    }
    running = hooks
    replan()

    return () => {
      finished = true
      clearTimeout(timer)
      stopWatching()
      stopClock()
      stopOtherActivity()
      stopMessages()
      if (running === hooks) running = null
      expiryWarning.set(null)
    }
  }

  return {
    expiryWarning,
    start,
    async staySignedIn() {
      const current = clock.get()
      if (current) activity.record(now(), current.refreshedAt)
      const outcome = await refresh({ since: now() })
      if (outcome.ok) {
        expiryWarning.set(null)
        channel.post({ type: 'extended' })
      }
      running?.replan()
      return outcome
    },
    dismissFinalWarning() {
      const current = clock.get()
      if (!current) return
      running?.dismiss(current.expiresAt)
      channel.post({ type: 'warning-dismissed', expiresAt: current.expiresAt })
    },
  }
}
