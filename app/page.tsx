import Link from 'next/link'
import { getCurrentUser } from '@/lib/auth/current-user'
import { pageAccessToken } from '@/lib/http/auth-edge'

export default async function HomePage() {
  const current = await getCurrentUser(await pageAccessToken())
  return (
    <div className="narrow stack">
      <div>
        <h1>Sign-in done with care</h1>
        <p>
          NJ-JWT signs people in with short-lived JWT access tokens and long-lived refresh tokens that rotate on
          every use. Tokens travel only in HttpOnly cookies, a reused refresh token ends its whole session, and
          you can see exactly what your token says.
        </p>
      </div>
      {current ? (
        <div className="card">
          <p>
            You’re signed in as <strong>{current.user.email}</strong>.
          </p>
          <Link className="button" href="/dashboard">
            Go to your dashboard
          </Link>
        </div>
      ) : (
        <div className="card actions">
          <Link className="button" href="/login">
            Sign in
          </Link>
          <Link className="button secondary" href="/register">
            Create an account
          </Link>
        </div>
      )}
      <p className="muted small">
        Building a client? Every API error links to a page that explains it: see the <Link href="/errors">error codes</Link>.
      </p>
    </div>
  )
}
