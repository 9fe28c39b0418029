'use client'

import { useSyncExternalStore } from 'react'

// A once-a-second clock shared by every countdown on the page. The server snapshot is
// null so server HTML and hydration agree; the ticking starts in the browser.
function subscribe(onTick: () => void): () => void {
  const timer = window.setInterval(onTick, 1000)
  return () => window.clearInterval(timer)
}
const nowSeconds = () => Math.floor(Date.now() / 1000)
const noClockOnServer = () => null

function formatRemaining(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = String(seconds % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** "expires in m:ss" for a time given in seconds since the epoch (a JWT `exp`). */
export function ExpiryCountdown({ expiresAt }: { expiresAt: number }) {
  const now = useSyncExternalStore(subscribe, nowSeconds, noClockOnServer)
  if (now === null) return <span className="countdown muted">…</span>
  const remaining = expiresAt - now
  if (remaining <= 0) {
    return (
      <span className="countdown">
        expired.{' '}
        <button type="button" className="button secondary" onClick={() => window.location.reload()}>
          Reload to refresh it
        </button>
      </span>
    )
  }
  // role="timer" is not announced on every tick (its implicit aria-live is "off").
  return (
    <span className="countdown" role="timer">
      expires in {formatRemaining(remaining)}
    </span>
  )
}
