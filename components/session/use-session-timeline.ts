// The dashboard's token timeline (SPEC §9): GET /api/auth/session/timeline, fetched again only
// when the shared clock says a new access token exists, in this tab or another. No polling.

import { useEffect, useRef } from 'react'
import type { SessionTimelineResponse, TimelineEntry } from '@/lib/shared/api-types'
import type { SessionClock } from '@/lib/client/session-clock'
import { useSessionClient } from './session-client-provider'
import { useApi } from './use-api'

export const TIMELINE_PATH = '/api/auth/session/timeline'

/** The access token a list already covers: the session's id and that token's expiry (epoch ms, server clock). */
export type TimelineCoverage = { sessionId: string; accessExpiresAt: number }

/**
 * Whether the clock shows a token newer than the list covers. `refreshedAt` and the access expiry
 * move together (recordSession), so comparing the expiry also skips the write that merely announces
 * the token the page was rendered with. A token that is no longer live would make the fetch refresh
 * first: that is the session keeper's call, not a list's. Another session means the page reloads.
 */
export function showsNewerToken(clock: SessionClock | null, covered: TimelineCoverage, now: number, offset: number): boolean {
  if (!clock || clock.sessionId !== covered.sessionId) return false
  return clock.accessExpiresAt + offset > covered.accessExpiresAt && clock.accessExpiresAt > now
}

/** The timeline, starting from the server's list; revalidated on each new access token, never on a timer. */
export function useSessionTimeline(initial: SessionTimelineResponse, coverage: TimelineCoverage) {
  const client = useSessionClient()
  const result = useApi<SessionTimelineResponse>(TIMELINE_PATH, {
    fallbackData: initial,
    revalidateOnMount: false,
    revalidateIfStale: false,
    // Focus and reconnect could find the access token expired and refresh for an idle person.
    revalidateOnFocus: false,
    revalidateOnReconnect: false,
    shouldRetryOnError: false,
  })
  const { data, error, isValidating, mutate } = result
  const covered = useRef(coverage)

  useEffect(() => {
    const { clock: sharedClock, events, serverTime, now } = client
    function followClock() {
      const clock = sharedClock.get()
      const offset = serverTime.offsetMs()
      if (events.isSignedOut() || !clock || !showsNewerToken(clock, covered.current, now(), offset)) return
      covered.current = { sessionId: clock.sessionId, accessExpiresAt: clock.accessExpiresAt + offset }
      void mutate()
    }
    followClock() // a refresh between the server render and now
    return sharedClock.subscribe(followClock)
  }, [client, mutate])
  // SWR's cache outlives the page: coming back to it, the server's list may be the newer one.
  const events = data && newestId(data.events) > newestId(initial.events) ? data.events : initial.events
  return { events, error, isValidating }
}

const newestId = (events: TimelineEntry[]) => Number(events[0]?.id ?? 0)
