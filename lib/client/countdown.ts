// The numbers behind "Session expires in 4:32", as pure functions: the seconds left on the
// access token, how they read, and a spoken version that changes at most once a minute. The
// once-a-second tick that drives them is ./seconds-ticker.ts.

import type { SessionClock } from './session-clock'

/** Whole seconds until the access token expires; null when no session is known. */
export function secondsUntilAccessExpiry(clock: SessionClock | null, now: number): number | null {
  return clock ? Math.max(0, Math.ceil((clock.accessExpiresAt - now) / 1000)) : null
}

/** 272 → "4:32"; 3723 → "1:02:03". */
export function formatRemaining(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = String(seconds % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** For words read aloud or shown in a sentence: "2 minutes", "1 hour", "45 seconds". */
export function describeDuration(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (seconds >= 5400) return plural(Math.round(seconds / 3600), 'hour')
  if (seconds >= 60) return plural(Math.round(seconds / 60), 'minute')
  return plural(Math.max(0, Math.round(seconds)), 'second')
}

/**
 * What a polite live region says: a new sentence at most once per `gapMs` (SPEC §9: announce
 * at most once a minute), so a screen reader is told the time without being talked over.
 */
export function createThrottledAnnouncer(gapMs = 60_000) {
  let spoken = ''
  let spokenAt = -Infinity
  return (remainingSeconds: number | null, now: number): string => {
    const sentence = remainingSeconds === null ? '' : `Session expires in ${describeDuration(remainingSeconds)}.`
    if (sentence !== spoken && now - spokenAt >= gapMs) {
      spoken = sentence
      spokenAt = now
    }
    return spoken
  }
}
