// POST /api/auth/refresh, at most one at a time per browser (SPEC §9 "single flight"; "one
// tab's refresh serves all"). Within a tab, callers share one promise; across tabs, a Web
// Lock queues them, and whoever gets the lock after another tab's refresh reads the shared
// clock and skips: the cookies that tab received are this tab's cookies too.

import type { RefreshResponse } from '@/lib/shared/api-types'
import { apiErrorFrom, networkApiError, type ApiError } from './api-error'
import type { ExternalStore } from './external-store'
import type { SendRequest } from './http'
import type { SessionClockStore } from './session-clock'
import type { SessionEvents } from './session-events'
import type { TabChannel } from './tab-channel'

export type RefreshOutcome =
  | { ok: true; rotated: boolean; skipped: boolean }
  | { ok: false; error: ApiError; signedOut: boolean }

/** Refreshes the session unless some tab already did after `since` (epoch ms: when the caller saw the old token fail, or decided a refresh was due). */
export type RefreshSession = (options?: { since?: number }) => Promise<RefreshOutcome>

/** The part of navigator.locks the refresh uses. */
export type Locks = Pick<LockManager, 'request'> & Partial<Pick<LockManager, 'query'>>

export const REFRESH_LOCK = 'njjwt-refresh'
/** SPEC §9: a spinner only for refreshes slower than this. */
export const SPINNER_DELAY_MS = 1000

type RefreshDeps = {
  send: SendRequest
  clock: SessionClockStore
  channel: TabChannel
  events: SessionEvents
  /** null: no Web Locks (old browsers, some test runtimes). */
  locks: Locks | null
  slowRefresh: ExternalStore<boolean>
  now: () => number
}

export function createRefreshSession({ send, clock, channel, events, locks, slowRefresh, now }: RefreshDeps): RefreshSession {
  let inFlight: Promise<RefreshOutcome> | null = null

  function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
    // Without Web Locks tabs may both refresh; the server's reuse grace (SPEC §4.4) answers
    // both with the same successor, so nobody is signed out.
    return locks ? (locks.request(REFRESH_LOCK, work) as Promise<T>) : work()
  }

  async function refreshUnlessDone(since: number): Promise<RefreshOutcome> {
    const shared = clock.get()
    if (shared && shared.refreshedAt > since) return { ok: true, rotated: false, skipped: true }

    const spinner = setTimeout(() => slowRefresh.set(true), SPINNER_DELAY_MS)
    try {
      const response = await send('/api/auth/refresh', { method: 'POST', retry: true })
      if (response.ok) {
        const body = (await response.json()) as RefreshResponse
        clock.record(body.session)
        if (body.rotated) channel.post({ type: 'refreshed', session: body.session })
        return { ok: true, rotated: body.rotated, skipped: false }
      }
      const error = await apiErrorFrom(response)
      // Any 401 here means the refresh token cannot continue the session (SPEC §4.2-4.5).
      const signedOut = response.status === 401
      if (signedOut) events.announceSignedOut(error.code ?? 'UNAUTHENTICATED')
      return { ok: false, error, signedOut }
    } catch {
      return { ok: false, error: networkApiError(), signedOut: false }
    } finally {
      clearTimeout(spinner)
      slowRefresh.set(false)
    }
  }

  return ({ since = now() } = {}) => {
    inFlight ??= withRefreshLock(() => refreshUnlessDone(since)).finally(() => {
      inFlight = null
    })
    return inFlight
  }
}
