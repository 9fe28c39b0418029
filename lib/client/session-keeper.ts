// Runs the expiry plan (./expiry-plan.ts) in one tab: timers for the proactive refresh, the
// idle warning and the sign-out at expiry, re-planned whenever the shared clock, activity or
// visibility changes. Every tab runs one; the shared clock and the refresh lock keep them in step.

import { lastActivityAt, recordActivity, subscribeOtherTabsActivity, watchActivity } from './activity'
import { createExternalStore } from './external-store'
import { planSession } from './expiry-plan'
import { refreshSession, type RefreshOutcome } from './refresh'
import { getSessionClock, subscribeSessionClock } from './session-clock'
import { isSignedOut, signOut } from './session-events'
import { tabChannel } from './tab-channel'

export type ExpiryWarning = { deadline: number; canExtend: boolean; secondsLeftAtOpen: number } | null

export const expiryWarning = createExternalStore<ExpiryWarning>(
  null,
  (a, b) => a === b || (a !== null && b !== null && a.deadline === b.deadline && a.canExtend === b.canExtend),
)

export type KeeperOptions = {
  proactiveMs: number
  warningMs: number
  /** Count the start as activity when the tab is in view: arriving on a page is the person's doing. */
  activeAtStart?: boolean
}

/** After an answer that changed nothing (not yet due, or a failure without Retry-After). */
const RETRY_GAP_MS = 15_000
/** setTimeout overflows past 2^31-1 ms (~24.8 days; sessions last up to 30): wake at least hourly. */
const MAX_SLEEP_MS = 3_600_000

let replanCurrent: (() => void) | null = null
let dismissCurrent: ((expiresAt: number) => void) | null = null

export function startSessionKeeper({ proactiveMs, warningMs, activeAtStart = false }: KeeperOptions): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let refreshing = false
  let finished = false
  let dismissedEnd: number | null = null
  let refreshNotBefore = 0

  function replan() {
    clearTimeout(timer)
    if (finished || refreshing) return
    const clock = isSignedOut() ? null : getSessionClock()
    if (!clock) return expiryWarning.set(null)
    const now = Date.now()
    const plan = planSession({ now, clock, lastActivityAt: lastActivityAt(), proactiveMs, warningMs, dismissedEnd, refreshNotBefore })
    if (plan.step === 'sign-out') {
      finished = true
      expiryWarning.set(null)
      void signOut('expired')
      return
    }
    if (plan.step === 'refresh') return void refreshNow(now, clock.accessExpiresAt)
    expiryWarning.set(plan.step === 'warn' ? { deadline: plan.deadline, canExtend: plan.canExtend, secondsLeftAtOpen: Math.round((plan.deadline - now) / 1000) } : null)
    timer = setTimeout(replan, Math.min(Math.max(0, plan.wakeAt - now), MAX_SLEEP_MS))
  }

  async function refreshNow(decidedAt: number, accessExpiresAt: number) {
    refreshing = true
    const outcome = await refreshSession({ since: decidedAt })
    refreshing = false
    const unchanged = getSessionClock()?.accessExpiresAt === accessExpiresAt
    if (!outcome.ok || unchanged) refreshNotBefore = Date.now() + retryDelayMs(outcome)
    replan()
  }

  function onActivity() {
    // While the warning is up only an answer counts: a mouse passing over the dialog is not "yes".
    if (expiryWarning.get()) return
    const clock = getSessionClock()
    if (clock && recordActivity(Date.now(), clock.refreshedAt)) replan()
  }

  // Back in view: first see whether the session ran out meanwhile, then count the return.
  const stopWatching = watchActivity(onActivity, () => {
    replan()
    onActivity()
  })
  const stopClock = subscribeSessionClock(replan)
  const stopOtherActivity = subscribeOtherTabsActivity(replan)
  const stopMessages = tabChannel().subscribe((message) => {
    if (message.type === 'warning-dismissed') dismissedEnd = message.expiresAt
    if (message.type === 'warning-dismissed' || message.type === 'extended') replan()
  })
  if (activeAtStart && document.visibilityState === 'visible') onActivity()
  replanCurrent = replan
  dismissCurrent = (expiresAt) => {
    dismissedEnd = expiresAt
    replan()
  }
  replan()

  return () => {
    finished = true
    clearTimeout(timer)
    stopWatching()
    stopClock()
    stopOtherActivity()
    stopMessages()
    replanCurrent = dismissCurrent = null
    expiryWarning.set(null)
  }
}

function retryDelayMs(outcome: RefreshOutcome): number {
  return !outcome.ok && outcome.error.retryAfter ? outcome.error.retryAfter * 1000 : RETRY_GAP_MS
}

/**
 * [Stay signed in]: the answer is activity, and the refresh extends the session for every tab.
 * The warning opens inside AUTH_REFRESH_WINDOW (lib/auth/browser-timings.ts), so the server
 * rotates; should it still say "not yet due" (a clock running ahead), the person now counts as
 * active and the proactive refresh extends the session once it is due.
 */
export async function staySignedIn(): Promise<RefreshOutcome> {
  const clock = getSessionClock()
  if (clock) recordActivity(Date.now(), clock.refreshedAt)
  const outcome = await refreshSession({ since: Date.now() })
  if (outcome.ok) {
    expiryWarning.set(null)
    tabChannel().post({ type: 'extended' })
  }
  replanCurrent?.()
  return outcome
}

/** Near the absolute end: "keep working until then", for every tab. */
export function dismissFinalWarning() {
  const clock = getSessionClock()
  if (!clock) return
  dismissCurrent?.(clock.expiresAt)
  tabChannel().post({ type: 'warning-dismissed', expiresAt: clock.expiresAt })
}
