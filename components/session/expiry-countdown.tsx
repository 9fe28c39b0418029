'use client'

import { useCallback, useState, useSyncExternalStore } from 'react'
import { createThrottledAnnouncer, formatRemaining, secondsUntilAccessExpiry } from '@/lib/client/countdown'
import { useSessionClient } from './session-client-provider'
import styles from './session.module.css'

// "Session expires in 4:32": the time left on the access token, from the clock every tab
// shares (SPEC §9). It is when an idle person would be signed out; activity moves it on.
// useSyncExternalStore on a once-a-second tick re-renders this component and nothing else.

const unknownOnServer = () => undefined

/** Ticks every second and whenever the shared clock changes (a refresh in any tab). */
function useCountdown<T>(read: (secondsLeft: number | null) => T, onServer: () => T): T {
  const { clock, subscribeToSeconds, now } = useSessionClient()
  const subscribe = useCallback(
    (listener: () => void) => {
      const stopTicks = subscribeToSeconds(listener)
      const stopClock = clock.subscribe(listener)
      return () => {
        stopTicks()
        stopClock()
      }
    },
    [clock, subscribeToSeconds],
  )
  return useSyncExternalStore(subscribe, () => read(secondsUntilAccessExpiry(clock.get(), now())), onServer)
}

type SessionCountdownProps = {
  /** AUTH_ACCESS_TTL in seconds: the full width of the progress bar. */
  accessTtlSeconds: number
  /** The one countdown on the page that speaks (a polite live region, at most once a minute). */
  announce?: boolean
  /** Expose as role="timer"; only one per page, so tests and screen readers find one. */
  asTimer?: boolean
}

export function SessionCountdown({ accessTtlSeconds, announce = false, asTimer = true }: SessionCountdownProps) {
  const remaining = useCountdown<number | null | undefined>((seconds) => seconds, unknownOnServer)
  const fraction = remaining ? Math.min(1, remaining / Math.max(1, accessTtlSeconds)) : 0
  const text = remaining === undefined ? 'Session expires in …' : remaining === null ? 'Signed out' : `Session expires in ${formatRemaining(remaining)}`

  return (
    <span className={styles.countdown}>
      {/* role="timer" is not announced on every tick: its implicit aria-live is "off". */}
      <span className="countdown" role={asTimer ? 'timer' : undefined}>
        {text}
      </span>
      <span className={styles.progress} aria-hidden="true">
        <span className={`${styles.progressFill} ${fraction < 0.2 ? styles.low : ''}`} style={{ width: `${fraction * 100}%` }} />
      </span>
      {announce ? <CountdownAnnouncement /> : null}
    </span>
  )
}

/** Kept apart from the visible text so a screen reader hears a sentence a minute, not a tick a second. */
function CountdownAnnouncement() {
  const [announce] = useState(createThrottledAnnouncer)
  const { now } = useSessionClient()
  const sentence = useCountdown((seconds) => announce(seconds, now()), () => '')
  return (
    <span className="visually-hidden" aria-live="polite" aria-atomic="true">
      {sentence}
    </span>
  )
}
