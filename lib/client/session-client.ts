// The browser's session layer as one object (SPEC §9): the API client with its silent refresh,
// the shared clock, sign-in/sign-out events across tabs, the session keeper and the stores the
// session bar shows. One per page, made by the root layout's provider
// (components/session/session-client-provider.tsx); tests build a fresh one per test on fakes.
// Building one has no side effect: the channel opens, and listeners attach, on first use, so the
// server render may build one too.

import { createActivity, type Activity } from './activity'
import { createApi, type Api } from './api'
import { createExternalStore, type ExternalStore } from './external-store'
import { createSendRequest, type NetworkState } from './http'
import { createPageLeaver, type LeavePage } from './leave-page'
import { createRefreshSession, type Locks, type RefreshSession } from './refresh'
import { createSecondsTicker, type SubscribeToSeconds } from './seconds-ticker'
import { createServerTime, type ServerTime } from './server-time'
import { createSessionClock, type SessionClockStore } from './session-clock'
import { createSessionEvents, type SessionEvents } from './session-events'
import { createSessionKeeper, type SessionKeeper } from './session-keeper'
import { browserStorage, memoryStorage, type SharedStorage } from './shared-storage'
import { lazyTabChannel, type TabChannel } from './tab-channel'

export type SessionClientDeps = {
  fetch: typeof fetch
  /** What every tab of the origin shares (localStorage). */
  storage: SharedStorage
  /** News to and from the other tabs (BroadcastChannel, else storage events). */
  channel: TabChannel
  /** navigator.locks; null where the browser has none. */
  locks: Locks | null
  now: () => number
  /** Full page loads (jsdom cannot navigate: tests pass their own). */
  leavePage: LeavePage
}

export type SessionClient = {
  api: Api
  refresh: RefreshSession
  clock: SessionClockStore
  serverTime: ServerTime
  events: SessionEvents
  keeper: SessionKeeper
  activity: Activity
  channel: TabChannel
  /** The link to the server, for the session bar: failing, retrying, back. */
  network: ExternalStore<NetworkState>
  /** True while a refresh has taken longer than a second (SPEC §9: a spinner only then). */
  slowRefresh: ExternalStore<boolean>
  /** The page's once-a-second tick for countdowns. */
  subscribeToSeconds: SubscribeToSeconds
  leavePage: LeavePage
  now: () => number
  /** Closes the channel (tests; a page just goes away). */
  close: () => void
}

const inBrowser = () => typeof window !== 'undefined'

/** The real browser's parts, each looked up when first used (tests stub the globals). */
export function browserDeps(): SessionClientDeps {
  let leaver: LeavePage | undefined
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    storage: inBrowser() ? browserStorage() : memoryStorage(),
    channel: lazyTabChannel(),
    locks: typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null,
    now: () => Date.now(),
    leavePage: (url) => (leaver ??= createPageLeaver())(url),
  }
}

export function createSessionClient(overrides: Partial<SessionClientDeps> = {}): SessionClient {
  const { fetch, storage, channel, locks, now, leavePage } = { ...browserDeps(), ...overrides }
  const network = createExternalStore<NetworkState>('online')
  const slowRefresh = createExternalStore<boolean>(false)
  const serverTime = createServerTime(storage)
  const clock = createSessionClock({ storage, serverTime, now })
  const activity = createActivity({ storage, now })
  const send = createSendRequest({ fetch, now, serverTime, network })
  const events = createSessionEvents({ send, clock, channel })
  const refresh = createRefreshSession({ send, clock, channel, events, locks, slowRefresh, now })
  const api = createApi({ send, refresh, events, now })
  const keeper = createSessionKeeper({ clock, activity, refresh, events, channel, now })
  return {
    api,
    refresh,
    clock,
    serverTime,
    events,
    keeper,
    activity,
    channel,
    network,
    slowRefresh,
    subscribeToSeconds: createSecondsTicker(now),
    leavePage,
    now,
    close: () => channel.close(),
  }
}
