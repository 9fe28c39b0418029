'use client'

import { useState } from 'react'
import { leavePage } from '@/lib/client/leave-page'
import { signOut } from '@/lib/client/session-events'

/** Ends the session; every tab goes to the login page (other tabs through the session provider). */
export function SignOutButton() {
  const [pending, setPending] = useState(false)

  async function onClick() {
    if (pending) return
    setPending(true)
    // Never fails for the person: a session the server already ended is signed out too.
    await signOut('user')
    // The session provider goes there too; this covers pages without one.
    leavePage('/login')
  }

  return (
    <button type="button" className="button secondary" onClick={onClick} aria-disabled={pending}>
      {pending ? 'Signing out…' : 'Sign out'}
    </button>
  )
}
