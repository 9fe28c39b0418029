import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { PasswordForm } from '@/components/settings/password-form'
import { getCurrentUser } from '@/lib/auth/current-user'
import { pageAccessToken } from '@/lib/http/auth-edge'

export const metadata: Metadata = { title: 'Change password' }

export default async function PasswordPage() {
  // Verified again here, whatever the gate decided (CVE-2025-29927).
  if (!(await getCurrentUser(await pageAccessToken()))) redirect(`/login?next=${encodeURIComponent('/settings/password')}`)
  return (
    <div className="narrow">
      <h1>Change password</h1>
      <p className="muted">Every other device signed in to your account is signed out; this one stays signed in.</p>
      <div className="card">
        <PasswordForm />
      </div>
    </div>
  )
}
