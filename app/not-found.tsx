import Link from 'next/link'

export default function NotFound() {
  return (
    <div className="narrow stack">
      <div>
        <p className="badge">404</p>
        <h1>Page not found</h1>
        <p>There’s nothing at this address. It may have moved, or the link may be mistyped.</p>
      </div>
      <p className="actions">
        <Link className="button" href="/">
          Home
        </Link>
        <Link className="button secondary" href="/dashboard">
          Dashboard
        </Link>
      </p>
    </div>
  )
}
