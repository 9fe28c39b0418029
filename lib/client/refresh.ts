// POST /api/auth/refresh, at most one at a time per browser (SPEC §9 "single flight"; "one
// tab's refresh serves all"). Within a tab, callers share one promise; across tabs, a Web
// Lock queues them, and whoever gets the lock after another tab's refresh skips: the cookies
// that tab received are this tab's cookies too.
//
// How the next holder knows (decision 017): the shared clock in localStorage is not enough,
// because Chromium syncs localStorage (and delivers BroadcastChannel messages) between tabs
// asynchronously, and the lock can be granted before the first tab's write is visible. So the
// news also travels through the lock manager itself, which every tab sees in one order: before
// releasing the refresh lock, the refreshing tab takes a second lock whose *name* carries the
// new session's times (`njjwt-refreshed:{…}`) and holds it for a few seconds; the next holder
// reads the held names with navigator.locks.query(), adopts the newest, and skips.

import type { RefreshResponse, SessionInfo } from '@/lib/shared/api-types'
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
/** Names of the locks that carry a refresh's news to the tabs queued behind it. */
export const REFRESHED_LOCK_PREFIX = 'njjwt-refreshed:'
/**
 * How long the news is held: far longer than storage takes to catch up (milliseconds, seconds
 * on a loaded machine), short enough that the lock is gone again soon (a page holding a lock is
 * not kept in the back/forward cache).
 */
export const NEWS_HOLD_MS = 10_000

/** A rotation this browser got: when (epoch ms, this browser's clock) and the new session's times. Never a token. */
type RefreshNews = { at: number; session: SessionInfo }

function parseNews(name: string | undefined): RefreshNews | null {
  if (!name?.startsWith(REFRESHED_LOCK_PREFIX)) return null
  try {
    const news = JSON.parse(name.slice(REFRESHED_LOCK_PREFIX.length)) as Partial<RefreshNews>
    return typeof news.at === 'number' && typeof news.session?.id === 'string' ? (news as RefreshNews) : null
  } catch {
    return null
  }
}
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

  /** The newest refresh another tab announced through the lock manager, if any. */
  async function newsFromOtherTabs(): Promise<RefreshNews | null> {
    if (!locks?.query) return null
    try {
      const { held = [] } = await locks.query()
      return held.map((lock) => parseNews(lock.name)).reduce<RefreshNews | null>((newest, news) => (news && (!newest || news.at > newest.at) ? news : newest), null)
    } catch {
      return null
    }
  }

  /** Resolves once the news lock is held (so before the refresh lock is released); held NEWS_HOLD_MS. */
  function announceThroughLocks(news: RefreshNews): Promise<void> {
    if (!locks?.query) return Promise.resolve()
    return new Promise<void>((granted) => {
      locks
        .request(REFRESHED_LOCK_PREFIX + JSON.stringify(news), () => {
          granted()
          return new Promise((release) => setTimeout(release, NEWS_HOLD_MS))
        })
        .catch(() => granted())
    })
  }

  async function refreshUnlessDone(since: number): Promise<RefreshOutcome> {
    const shared = clock.get()
    if (shared && shared.refreshedAt > since) return { ok: true, rotated: false, skipped: true }
    const news = await newsFromOtherTabs()
    if (news && news.at > since && (!shared || shared.sessionId === news.session.id)) {
      // Another tab refreshed after we decided to; its storage write may not be here yet.
      clock.record(news.session, news.at)
      return { ok: true, rotated: false, skipped: true }
    }

    const spinner = setTimeout(() => slowRefresh.set(true), SPINNER_DELAY_MS)
    try {
      const response = await send('/api/auth/refresh', { method: 'POST', retry: true })
      if (response.ok) {
        const body = (await response.json()) as RefreshResponse
        const at = now()
        clock.record(body.session, at)
        if (body.rotated) {
          await announceThroughLocks({ at, session: body.session })
          channel.post({ type: 'refreshed', session: body.session })
        }
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
