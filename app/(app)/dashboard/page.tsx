import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { getCurrentUser } from '@/lib/auth/current-user'
import { pageAccessToken } from '@/lib/http/auth-edge'
import { getSessionTimeline } from '@/lib/auth/session-timeline'
import { getConfig } from '@/lib/config'
import { ClaimsList, isoTime } from '@/components/session/claims-list'
import { SessionCountdown } from '@/components/session/expiry-countdown'
import { ProtectedApiCall } from '@/components/session/protected-api-call'
import { SessionTimeline } from '@/components/session/session-timeline'
import { SignOutButton } from '@/components/session/sign-out-button'

export const metadata: Metadata = { title: 'Dashboard' }

export default async function DashboardPage() {
  // Verified again here, whatever the gate decided (CVE-2025-29927).
  const current = await getCurrentUser(await pageAccessToken())
  if (!current) redirect(`/login?next=${encodeURIComponent('/dashboard')}`)
  const { user, claims } = current
  const expiresAt = isoTime(claims.exp)
  const timeline = (await getSessionTimeline(user.id, claims.sid)) ?? []

  return (
    <div className="stack">
      <div className="page-head">
        <h1>Dashboard</h1>
        <SignOutButton />
      </div>

      <section className="card" aria-labelledby="you-heading">
        <h2 id="you-heading">Signed in as</h2>
        <dl className="details-list">
          <div className="details-row">
            <dt>Email</dt>
            <dd>{user.email}</dd>
          </div>
          <div className="details-row">
            <dt>Name</dt>
            <dd>{user.name ?? <span className="muted">Not set</span>}</dd>
          </div>
          <div className="details-row">
            <dt>Role</dt>
            <dd>{user.role}</dd>
          </div>
          <div className="details-row">
            <dt>Permissions</dt>
            <dd>{user.permissions.join(', ') || <span className="muted">None</span>}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="token-heading">
        <h2 id="token-heading">Access token</h2>
        <p>
          Issued for this page until <time dateTime={expiresAt}>{expiresAt}</time>; refreshed silently while you are active.
        </p>
        {/* The header's countdown is the page's timer; this one only shows the same clock. */}
        <SessionCountdown accessTtlSeconds={getConfig().ttl.access} asTimer={false} />
        <p className="muted small">
          The token itself lives in an HttpOnly cookie that scripts on this page cannot read. These are the claims it carries:
        </p>
        <ClaimsList claims={claims} />
      </section>

      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Token timeline</h2>
        <p className="muted small">This session’s sign-in and every refresh since, newest first, from the audit log.</p>
        <SessionTimeline initial={{ events: timeline }} coverage={{ sessionId: claims.sid, accessExpiresAt: claims.exp * 1000 }} />
      </section>

      <section className="card" aria-labelledby="api-heading">
        <h2 id="api-heading">Protected API</h2>
        <p className="muted small">The browser sends the access-token cookie; the API verifies it on every call.</p>
        <ProtectedApiCall />
      </section>
    </div>
  )
}
