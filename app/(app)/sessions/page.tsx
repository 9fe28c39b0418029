import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { SessionList } from '@/components/sessions/session-list'
import { getCurrentUser } from '@/lib/auth/current-user'
import { pageAccessToken } from '@/lib/http/auth-edge'

export const metadata: Metadata = { title: 'Sessions and devices' }

export default async function SessionsPage() {
  // Verified again here, whatever the gate decided (CVE-2025-29927).
  if (!(await getCurrentUser(await pageAccessToken()))) redirect(`/login?next=${encodeURIComponent('/sessions')}`)
  return (
    <div className="stack">
      <div>
        <h1>Sessions and devices</h1>
        <p className="muted">Where your account is signed in. Sign out any device you don’t recognise, then change your password.</p>
      </div>
      <SessionList />
    </div>
  )
}
