// What the session needs next, as a pure function of the shared clock and the time (SPEC §9).
//
// "Expiry" is the moment the session can no longer go on without the person: the absolute end,
// or the access expiry when no proactive refresh will come because they have been idle since
// the last refresh. Active people are refreshed AUTH_PROACTIVE_REFRESH before access expiry;
// idle people are warned AUTH_WARNING_BEFORE before expiry and signed out at it.

import type { SessionClock } from './session-clock'

export type PlanInput = {
  now: number
  clock: SessionClock
  lastActivityAt: number
  proactiveMs: number
  warningMs: number
  /** The absolute end (`clock.expiresAt`) whose cannot-extend warning was dismissed, if any. */
  dismissedEnd: number | null
  /** No refresh attempt before this (after a failure or a not-yet-due answer). */
  refreshNotBefore: number
}

export type SessionPlan =
  | { step: 'sign-out' }
  | { step: 'refresh' }
  /** Show the warning; `canExtend` false near the absolute end. Re-plan at `wakeAt`. */
  | { step: 'warn'; deadline: number; canExtend: boolean; wakeAt: number }
  | { step: 'wait'; wakeAt: number }

export function planSession(input: PlanInput): SessionPlan {
  const { now, clock } = input
  // Same millisecond counts: arriving on a page right as its session was recorded is activity.
  const active = input.lastActivityAt >= clock.refreshedAt
  // When the access token already runs to the absolute end, a refresh would buy nothing.
  const refreshHelps = clock.expiresAt > clock.accessExpiresAt
  const willRefresh = active && refreshHelps
  const deadline = willRefresh ? clock.expiresAt : clock.accessExpiresAt
  if (now >= deadline) return { step: 'sign-out' }

  const refreshAt = Math.max(clock.accessExpiresAt - input.proactiveMs, input.refreshNotBefore)
  if (willRefresh && now >= refreshAt) return { step: 'refresh' }

  const warnAt = deadline - input.warningMs
  const wakeAt = Math.min(...[warnAt, deadline, willRefresh ? refreshAt : Infinity].filter((t) => t > now))
  if (now < warnAt) return { step: 'wait', wakeAt }

  const canExtend = deadline < clock.expiresAt
  if (!canExtend && input.dismissedEnd === clock.expiresAt) return { step: 'wait', wakeAt }
  return { step: 'warn', deadline, canExtend, wakeAt }
}
