import type { Metadata } from 'next'
import Link from 'next/link'
import { forbidden, redirect } from 'next/navigation'
import { ActivityCharts } from '@/components/admin/activity-charts'
import { readActivity } from '@/lib/auth/activity'
import { getCurrentUser } from '@/lib/auth/current-user'
import { hasPermission } from '@/lib/auth/rbac'
import { pageAccessToken } from '@/lib/http/auth-edge'
import { ACTIVITY_RANGES, type ActivityRange } from '@/lib/shared/api-types'
import { ScrollTable } from '@/components/ui/scroll-table'

export const metadata: Metadata = { title: 'Activity' }

const RANGE_NAMES: Record<ActivityRange, string> = { '1h': 'Last hour', '24h': 'Last day', '7d': 'Last week' }

const EVENT_NAMES: Record<string, string> = {
  login_failed: 'Failed sign-in',
  refresh_reuse_detected: 'Refresh token reused',
  device_mismatch: 'Device mismatch',
  anomaly_detected: 'Browser changed',
  rate_limited: 'Rate limited',
}

export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ range?: string | string[] }> }) {
  // Verified again here, whatever the gate decided (CVE-2025-29927).
  const current = await getCurrentUser(await pageAccessToken())
  if (!current) redirect(`/login?next=${encodeURIComponent('/admin/activity')}`)
  if (!hasPermission(current.user, 'audit:read')) forbidden()
  const asked = (await searchParams).range
  const range: ActivityRange = ACTIVITY_RANGES.find((name) => name === asked) ?? '24h'
  const outcome = await readActivity({ range })
  if (!outcome.ok) throw new Error(outcome.code)
  const { activity } = outcome

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Activity</h1>
          <p className="muted">
            Token events from the audit log, {RANGE_NAMES[range].toLowerCase()}, in UTC. <Link href="/admin">Back to admin</Link>
          </p>
        </div>
      </div>
      <nav aria-label="Range" className="range-nav">
        <ul>
          {ACTIVITY_RANGES.map((name) => (
            <li key={name}>
              <Link href={`/admin/activity?range=${name}`} aria-current={name === range ? 'page' : undefined} className={name === range ? 'button' : 'button secondary'}>
                {RANGE_NAMES[name]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section className="card" aria-labelledby="now-heading">
        <h2 id="now-heading">Now</h2>
        <p>
          <strong>{activity.activeSessions}</strong> active {activity.activeSessions === 1 ? 'session' : 'sessions'}
        </p>
      </section>
      <ActivityCharts activity={activity} />
      <section className="card" aria-labelledby="failures-heading">
        <h2 id="failures-heading">Failures by reason</h2>
        {activity.failures.length === 0 ? (
          <p className="muted">No failures in this range.</p>
        ) : (
          <ScrollTable id="failures" caption="Failures by reason">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Reason</th>
                <th scope="col">Count</th>
              </tr>
            </thead>
            <tbody>
              {activity.failures.map((row) => (
                <tr key={`${row.event}:${row.reason}`}>
                  <td>{EVENT_NAMES[row.event] ?? row.event}</td>
                  <td>{row.reason ? <code>{row.reason}</code> : '—'}</td>
                  <td>{row.count}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        )}
      </section>
      <section className="card" aria-labelledby="addresses-heading">
        <h2 id="addresses-heading">Top addresses by failed sign-ins</h2>
        {activity.topFailedAddresses.length === 0 ? (
          <p className="muted">No failed sign-ins in this range.</p>
        ) : (
          <ScrollTable id="addresses" caption="Top addresses by failed sign-ins">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Failed sign-ins</th>
              </tr>
            </thead>
            <tbody>
              {activity.topFailedAddresses.map((row) => (
                <tr key={row.ip}>
                  <td>
                    <code>{row.ip}</code>
                  </td>
                  <td>{row.count}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        )}
      </section>
    </div>
  )
}
