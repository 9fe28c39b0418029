import type { Metadata } from 'next'
import Link from 'next/link'
import { FollowSignInFromOtherTabs } from '@/components/session/follow-sign-in'
import { DEFAULT_AFTER_SIGN_IN } from '../login/next-path'
import { RegisterForm } from './register-form'

export const metadata: Metadata = { title: 'Create an account' }

export default function RegisterPage() {
  return (
    <div className="narrow">
      {/* Signed in in another tab meanwhile: no account to create here, go on as after sign-up. */}
      <FollowSignInFromOtherTabs next={DEFAULT_AFTER_SIGN_IN} />
      <h1>Create an account</h1>
      <div className="card">
        <RegisterForm next={DEFAULT_AFTER_SIGN_IN} />
      </div>
      <p>
        Already have an account? <Link href="/login">Sign in</Link>
      </p>
    </div>
  )
}
