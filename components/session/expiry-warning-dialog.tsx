'use client'

import { useState, useSyncExternalStore } from 'react'
import { AlertDialog } from '@/components/ui/dialog'
import { Spinner } from '@/components/ui/spinner'
import { useToast } from '@/components/ui/toast'
import { describeDuration, formatRemaining } from '@/lib/client/countdown'
import type { ExpiryWarning } from '@/lib/client/session-keeper'
import { useExpiryWarning, useSessionClient } from './session-client-provider'

// The warning an idle person sees AUTH_WARNING_BEFORE before expiry (SPEC §9). The session
// keeper opens and closes it in every tab at once; an answer in one tab closes it in all.

export function ExpiryWarningDialog() {
  const warning = useExpiryWarning()
  if (!warning) return null
  // A new deadline is a new question: fresh state, fresh focus.
  return warning.canExtend ? <StaySignedInDialog key={warning.deadline} warning={warning} /> : <FinalStretchDialog key={warning.deadline} warning={warning} />
}

function StaySignedInDialog({ warning }: { warning: NonNullable<ExpiryWarning> }) {
  const toast = useToast()
  const { keeper, events } = useSessionClient()
  const [pending, setPending] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  async function stay() {
    if (pending) return
    setPending(true)
    setProblem(null)
    const outcome = await keeper.staySignedIn()
    if (outcome.ok) {
      // Not yet due (rotated: false, no other tab refreshed): nothing moved, so no claim that it did.
      const extended = outcome.rotated || outcome.skipped
      toast(extended ? { title: 'Session extended', tone: 'success' } : { title: 'You’re still signed in', tone: 'success' })
      return
    }
    setPending(false)
    // A 401 ends the session: the provider handles that; anything else may work on a retry.
    if (!outcome.signedOut) setProblem(`We couldn’t extend your session. ${outcome.error.message}`)
  }

  return (
    <AlertDialog
      title="Your session is about to expire"
      onEscape={stay}
      description={
        <>
          <p>Your session will expire in {describeDuration(warning.secondsLeftAtOpen)}. Stay signed in?</p>
          <TimeLeft deadline={warning.deadline} />
          {problem ? <p className="status-error">{problem}</p> : null}
        </>
      }
    >
      <button type="button" className="button" data-autofocus onClick={stay} aria-disabled={pending}>
        {pending ? <Spinner /> : null}
        Stay signed in
      </button>
      <button type="button" className="button secondary" onClick={() => void events.signOut('user')}>
        Log out
      </button>
    </AlertDialog>
  )
}

/** Near the absolute end nothing can extend the session: say so, and offer a fresh sign-in. */
function FinalStretchDialog({ warning }: { warning: NonNullable<ExpiryWarning> }) {
  const { keeper, events } = useSessionClient()
  return (
    <AlertDialog
      title="Your session is ending"
      onEscape={keeper.dismissFinalWarning}
      description={
        <>
          <p>
            Your session will end in {describeDuration(warning.secondsLeftAtOpen)} and can’t be extended. Sign in again now to keep working without
            interruption.
          </p>
          <TimeLeft deadline={warning.deadline} />
        </>
      }
    >
      <button type="button" className="button" data-autofocus onClick={() => void events.signOut('sign-in-again')}>
        Sign in again
      </button>
      <button type="button" className="button secondary" onClick={keeper.dismissFinalWarning}>
        Continue for now
      </button>
    </AlertDialog>
  )
}

function TimeLeft({ deadline }: { deadline: number }) {
  const { subscribeToSeconds, now } = useSessionClient()
  const seconds = useSyncExternalStore(
    subscribeToSeconds,
    () => Math.max(0, Math.ceil((deadline - now()) / 1000)),
    () => null,
  )
  return seconds === null ? null : <p className="muted small countdown">Time left: {formatRemaining(seconds)}</p>
}
