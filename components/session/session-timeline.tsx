'use client'

import { useSyncExternalStore } from 'react'
import { LocalTime } from '@/components/ui/local-time'
import type { SessionTimelineResponse, TimelineEntry } from '@/lib/shared/api-types'
import { useSessionTimeline, type TimelineCoverage } from './use-session-timeline'

// SPEC §9 dashboard "token timeline": this session's sign-in, refreshes and flags, newest first.
// The server renders the first list (no layout jump); a new access token in any tab updates it.

const LABELS: Record<TimelineEntry['event'], string> = {
  login_succeeded: 'Signed in',
  token_refreshed: 'Refreshed — new access token',
  password_changed: 'Password changed — new access token',
  ip_changed: 'New network',
  anomaly_detected: 'Browser changed',
}

/** A jti is a UUIDv7: its head is the time (decision 007), its random tail tells tokens apart. */
const shortJti = (jti: string) => `…${jti.slice(-8)}`

const utcTime = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`

const noSubscription = () => () => {}
/** False on the server and while hydrating: the server cannot know the reader's locale and zone. */
const useHydrated = () => useSyncExternalStore(noSubscription, () => true, () => false)

export function SessionTimeline({ initial, coverage }: { initial: SessionTimelineResponse; coverage: TimelineCoverage }) {
  const { events, error, isValidating } = useSessionTimeline(initial, coverage)
  const hydrated = useHydrated()

  if (events.length === 0) return <p className="muted small">Nothing recorded for this session yet.</p>
  return (
    <>
      <ol className="code-list" aria-label="Token timeline, newest first" aria-busy={isValidating}>
        {events.map((entry) => (
          <li key={entry.id}>
            <strong>{LABELS[entry.event]}</strong>
            <span className="muted small">{hydrated ? <LocalTime iso={entry.at} withSeconds /> : <time dateTime={entry.at}>{utcTime(entry.at)}</time>}</span>
            {entry.jti ? (
              <span className="small">
                jti <code title={entry.jti}>{shortJti(entry.jti)}</code>
              </span>
            ) : null}
            {entry.ip ? <span className="muted small">from {entry.ip}</span> : null}
          </li>
        ))}
      </ol>
      {/* Stale is fine here: the list is history, and the session layer reports sign-outs itself. */}
      {error ? <p className="muted small">Couldn’t update the timeline: {error.message}</p> : null}
    </>
  )
}
