// Sign-in and sign-out as events that every tab hears at once (SPEC §9 "across tabs").
// A tab announces once; the provider turns the announcement into a toast or a navigation.

import { sendRequest } from './http'
import { clearSessionClock, getSessionClock, recordSession } from './session-clock'
import type { SignOutReason } from './sign-out-reasons'
import { tabChannel, type TabMessage } from './tab-channel'
import type { SessionInfo } from '@/lib/shared/api-types'

let signedOut = false
const signedOutListeners = new Set<(reason: SignOutReason) => void>()

export const isSignedOut = () => signedOut

/** This tab's session is over. Idempotent: ten failing calls give one toast, not ten. */
export function announceSignedOut(reason: SignOutReason, { fromOtherTab = false } = {}) {
  if (signedOut) return
  signedOut = true
  clearSessionClock()
  if (!fromOtherTab) tabChannel().post({ type: 'signed-out', reason })
  for (const listener of [...signedOutListeners]) listener(reason)
}

export function onSignedOut(listener: (reason: SignOutReason) => void): () => void {
  signedOutListeners.add(listener)
  return () => signedOutListeners.delete(listener)
}

/** A page learned of a signed-in session (server props, login answer): tell every tab if it is new. */
export function announceSignedIn(session: SessionInfo) {
  signedOut = false
  const known = getSessionClock()?.sessionId
  recordSession(session)
  if (known !== session.id) tabChannel().post({ type: 'signed-in', session })
}

/** Ends the session on the server (best effort: a 401 or no network means it is over for us anyway). */
export async function signOut(reason: SignOutReason = 'user') {
  try {
    await sendRequest('/api/auth/logout', { method: 'POST', retry: true })
  } catch {
    // Offline: the cookies stay, but this tab and the others stop acting signed in.
  }
  announceSignedOut(reason)
}

/** Applies other tabs' news to this tab: their refreshes and sign-outs are ours too. */
export function followOtherTabs(onMessage?: (message: TabMessage) => void): () => void {
  return tabChannel().subscribe((message) => {
    if (message.type === 'signed-out') announceSignedOut(message.reason, { fromOtherTab: true })
    if (message.type === 'refreshed') recordSession(message.session)
    if (message.type === 'signed-in') {
      signedOut = false
      recordSession(message.session)
    }
    onMessage?.(message)
  })
}
