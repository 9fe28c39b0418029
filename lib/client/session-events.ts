// Sign-in and sign-out as events that every tab hears at once (SPEC §9 "across tabs").
// A tab announces once; the provider turns the announcement into a toast or a navigation.

import type { SessionInfo } from '@/lib/shared/api-types'
import type { SendRequest } from './http'
import type { SessionClockStore } from './session-clock'
import type { SignOutReason } from './sign-out-reasons'
import type { TabChannel, TabMessage } from './tab-channel'

export type SessionEvents = {
  isSignedOut: () => boolean
  /** This tab's session is over. Idempotent: ten failing calls give one toast, not ten. */
  announceSignedOut: (reason: SignOutReason, options?: { fromOtherTab?: boolean }) => void
  onSignedOut: (listener: (reason: SignOutReason) => void) => () => void
  /** A page learned of a signed-in session (server props, login answer): tell every tab if it is new. */
  announceSignedIn: (session: SessionInfo) => void
  /** This tab got a new token outside a refresh (a password change rotates it): every tab adopts it. */
  announceRotated: (session: SessionInfo) => void
  /** Ends the session on the server (best effort: a 401 or no network means it is over for us anyway). */
  signOut: (reason?: SignOutReason) => Promise<void>
  /** Applies other tabs' news to this tab: their refreshes and sign-outs are ours too. */
  followOtherTabs: (onMessage?: (message: TabMessage) => void) => () => void
}

type EventsDeps = { send: SendRequest; clock: SessionClockStore; channel: TabChannel }

export function createSessionEvents({ send, clock, channel }: EventsDeps): SessionEvents {
  let signedOut = false
  const listeners = new Set<(reason: SignOutReason) => void>()

  // Methods call each other through `events`, never a local name, so a test spying on one of
  // them (vi.spyOn(client.events, 'announceSignedOut')) sees every call.
  const events: SessionEvents = {
    isSignedOut: () => signedOut,
    announceSignedOut(reason, { fromOtherTab = false } = {}) {
      if (signedOut) return
      signedOut = true
      clock.clear()
      if (!fromOtherTab) channel.post({ type: 'signed-out', reason })
      for (const listener of [...listeners]) listener(reason)
    },
    onSignedOut(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    announceSignedIn(session) {
      signedOut = false
      const known = clock.get()?.sessionId
      clock.record(session)
      if (known !== session.id) channel.post({ type: 'signed-in', session })
    },
    announceRotated(session) {
      clock.record(session)
      channel.post({ type: 'refreshed', session })
    },
    async signOut(reason = 'user') {
      try {
        await send('/api/auth/logout', { method: 'POST', retry: true })
      } catch {
        // Offline: the cookies stay, but this tab and the others stop acting signed in.
      }
      events.announceSignedOut(reason)
    },
    followOtherTabs: (onMessage) =>
      channel.subscribe((message) => {
        if (message.type === 'signed-out') events.announceSignedOut(message.reason, { fromOtherTab: true })
        if (message.type === 'refreshed') clock.record(message.session)
        if (message.type === 'signed-in') {
          signedOut = false
          clock.record(message.session)
        }
        onMessage?.(message)
      }),
  }
  return events
}
