'use client'

import { useState } from 'react'
import { requestJson } from '@/components/forms/problem'

export function SignOutButton() {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function signOut() {
    if (pending) return
    setPending(true)
    setError(null)
    const result = await requestJson('/api/auth/logout', { method: 'POST' })
    // 401: the session had already ended, which is what signing out wants anyway.
    if (result.ok || result.status === 401) {
      // A full page load, not router.push: it drops the client router cache, so Back cannot
      // show the signed-in dashboard (claims included) from memory.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- deliberate, see above
      window.location.assign('/login')
      return
    }
    setError(result.problem.message)
    setPending(false)
  }

  return (
    <div>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" className="button secondary" onClick={signOut} aria-disabled={pending}>
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  )
}
