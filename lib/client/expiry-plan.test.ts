import { describe, expect, it } from 'vitest'
import { planSession, type PlanInput } from './expiry-plan'

const MIN = 60_000
// Access token 15 min from t=0, session end 12 h away; last refresh at t=0, last activity before it.
const clock = { sessionId: 's', accessExpiresAt: 15 * MIN, expiresAt: 720 * MIN, refreshedAt: 0, rememberMe: false }
const base: PlanInput = { now: 0, clock, lastActivityAt: -1, proactiveMs: MIN, warningMs: 2 * MIN, dismissedEnd: null, refreshNotBefore: 0 }
const plan = (overrides: Partial<PlanInput>) => planSession({ ...base, ...overrides })

describe('SPEC §9 active people are refreshed AUTH_PROACTIVE_REFRESH before access expiry', () => {
  it('waits until the proactive moment, then refreshes', () => {
    expect(plan({ now: MIN, lastActivityAt: 30_000 })).toEqual({ step: 'wait', wakeAt: 14 * MIN })
    expect(plan({ now: 14 * MIN, lastActivityAt: 30_000 })).toEqual({ step: 'refresh' })
  })

  it('activity before the last refresh does not count', () => {
    expect(plan({ now: 14 * MIN, lastActivityAt: -5000 })).toMatchObject({ step: 'warn' })
  })

  it('holds a retry back after a failure', () => {
    expect(plan({ now: 14 * MIN, lastActivityAt: 1, refreshNotBefore: 14 * MIN + 15_000 })).toEqual({ step: 'wait', wakeAt: 14 * MIN + 15_000 })
  })
})

describe('SPEC §9 idle people are warned AUTH_WARNING_BEFORE before expiry and signed out at it', () => {
  it('no warning before the warning moment', () => {
    expect(plan({ now: 12 * MIN })).toEqual({ step: 'wait', wakeAt: 13 * MIN })
  })

  it('warns, offering to stay, at expiry minus the warning time', () => {
    expect(plan({ now: 13 * MIN })).toEqual({ step: 'warn', deadline: 15 * MIN, canExtend: true, wakeAt: 15 * MIN })
  })

  it('signs out at the access expiry', () => {
    expect(plan({ now: 15 * MIN })).toEqual({ step: 'sign-out' })
  })
})

describe('SPEC §9 near the absolute end the session cannot be extended', () => {
  it('an active person is warned before the absolute end, and cannot extend', () => {
    const nearEnd = { ...clock, accessExpiresAt: 15 * MIN, expiresAt: 20 * MIN }
    expect(plan({ clock: nearEnd, now: 18 * MIN, lastActivityAt: 1, refreshNotBefore: 99 * MIN })).toEqual({
      step: 'warn',
      deadline: 20 * MIN,
      canExtend: false,
      wakeAt: 20 * MIN,
    })
  })

  it('an access token capped at the end cannot be extended either', () => {
    const capped = { ...clock, accessExpiresAt: 20 * MIN, expiresAt: 20 * MIN }
    expect(plan({ clock: capped, now: 18 * MIN, lastActivityAt: 1 })).toMatchObject({ step: 'warn', canExtend: false })
  })

  it('once dismissed, stays quiet until the end, then signs out', () => {
    const capped = { ...clock, accessExpiresAt: 20 * MIN, expiresAt: 20 * MIN }
    expect(plan({ clock: capped, now: 18 * MIN, dismissedEnd: 20 * MIN })).toEqual({ step: 'wait', wakeAt: 20 * MIN })
    expect(plan({ clock: capped, now: 20 * MIN, dismissedEnd: 20 * MIN })).toEqual({ step: 'sign-out' })
  })

  it('an active person still gets the last proactive refresh while the final warning is up', () => {
    const lastToken = { ...clock, accessExpiresAt: 19.5 * MIN, expiresAt: 20 * MIN }
    expect(plan({ clock: lastToken, now: 18 * MIN, lastActivityAt: 1 })).toEqual({ step: 'warn', deadline: 20 * MIN, canExtend: false, wakeAt: 18.5 * MIN })
    expect(plan({ clock: lastToken, now: 18.5 * MIN, lastActivityAt: 1 })).toEqual({ step: 'refresh' })
  })
})
