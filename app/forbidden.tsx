import type { Metadata } from 'next'
import Link from 'next/link'

export const metadata: Metadata = { title: 'No access', robots: { index: false } }

export default function Forbidden() {
  return (
    <div className="narrow stack">
      <div>
        <p className="badge">403</p>
        <h1>You don’t have access to this page</h1>
        <p>You’re signed in, but your account’s role doesn’t include the permission this page needs. If you think it should, ask an administrator.</p>
      </div>
      <p className="actions">
        <Link className="button" href="/dashboard">
          Go to your dashboard
        </Link>
        <Link className="button secondary" href="/">
          Home
        </Link>
      </p>
    </div>
  )
}
