import type { Metadata } from 'next'
import Link from 'next/link'
import { FollowSignInFromOtherTabs } from '@/components/session/follow-sign-in'
import { getConfig } from '@/lib/config'
import { DEMO_ADMIN, DEMO_USER } from '@/lib/shared/demo-users'
import { LoginForm } from './login-form'
import { safeNextPath } from './next-path'

export const metadata: Metadata = { title: 'Sign in' }

type LoginPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> }

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const { next, reason } = await searchParams
  const expired = reason === 'expired'
  const nextPath = safeNextPath(next)
  return (
    <div className="narrow">
      {/* Signed in in another tab: this one goes where it was headed too (SPEC §9 across tabs). */}
      <FollowSignInFromOtherTabs next={nextPath} />
      <h1>Sign in</h1>
      {expired ? (
        <p className="alert info" role="status">
          Your session expired. Sign in again to continue.
        </p>
      ) : null}
      <div className="card">
        <LoginForm next={nextPath} />
      </div>
      <p>
        New here? <Link href="/register">Create an account</Link>
      </p>
      {getConfig().seedDemoUsers ? (
        <p className="muted small">
          Trying it out? Demo accounts: <strong>{DEMO_USER.email}</strong> with password <strong>{DEMO_USER.password}</strong>, or{' '}
          <strong>{DEMO_ADMIN.email}</strong> with password <strong>{DEMO_ADMIN.password}</strong>.
        </p>
      ) : null}
    </div>
  )
}
