'use client'

import { useState } from 'react'
import { useSessionClient } from './session-client-provider'

/** Ends the session; every tab goes to the login page (other tabs through the session provider). */
export function SignOutButton() {
  const client = useSessionClient()
  const [pending, setPending] = useState(false)

  async function onClick() {
    if (pending) return
    setPending(true)
    // Never fails for the person: a session the server already ended is signed out too.
    await client.events.signOut('user')
    // The session provider goes there too; this covers pages without one.
    client.leavePage('/login')
  }

  return (
    <button type="button" className="button secondary" onClick={onClick} aria-disabled={pending}>
      {pending ? 'Signing out…' : 'Sign out'}
    </button>
  )
}
