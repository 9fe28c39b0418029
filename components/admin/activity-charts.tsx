'use client'

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { ActivityBucket, ActivityResponse, ActivitySeries } from '@/lib/shared/api-types'
import { ScrollTable } from '@/components/ui/scroll-table'

// The Activity screen's charts (SPEC §9 /admin/activity), drawn with recharts in the theme's own
// colours (CSS variables, so dark mode follows). Each chart is hidden from screen readers and has
// its numbers as a table right below it, which is what assistive technology reads.

const LABELS: Record<ActivitySeries, string> = {
  signIns: 'Sign-ins',
  signInFailures: 'Failed sign-ins',
  refreshes: 'Refreshes',
  graceReplays: 'Grace replays',
  reuseDetections: 'Reuse detected',
  revokedSessions: 'Sessions revoked',
  rateLimited: 'Rate limited',
}

const COLOURS: Record<ActivitySeries, string> = {
  signIns: 'var(--ok)',
  signInFailures: 'var(--danger)',
  refreshes: 'var(--accent)',
  graceReplays: 'var(--muted)',
  reuseDetections: 'var(--danger)',
  revokedSessions: 'var(--muted)',
  rateLimited: 'var(--accent-hover)',
}

const GROUPS: Array<{ id: string; title: string; series: ActivitySeries[]; kind: 'line' | 'bar' }> = [
  { id: 'sign-ins', title: 'Sign-ins and failures', series: ['signIns', 'signInFailures'], kind: 'line' },
  { id: 'refreshes', title: 'Refreshes and grace replays', series: ['refreshes', 'graceReplays'], kind: 'line' },
  { id: 'threats', title: 'Reuse, revocations and rate limits', series: ['reuseDetections', 'revokedSessions', 'rateLimited'], kind: 'bar' },
]

/** The grid, axes, tooltip and legend of every chart, in the theme's colours. */
function frame() {
  return [
    <CartesianGrid key="grid" stroke="var(--border)" strokeDasharray="3 3" />,
    <XAxis key="x" dataKey="label" stroke="var(--muted)" tick={{ fontSize: 12 }} minTickGap={24} />,
    <YAxis key="y" allowDecimals={false} stroke="var(--muted)" tick={{ fontSize: 12 }} />,
    <Tooltip key="tooltip" contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }} />,
    <Legend key="legend" />,
  ]
}

function label(at: string, bucketSeconds: number): string {
  const date = new Date(at)
  const options: Intl.DateTimeFormatOptions = bucketSeconds < 86_400 && bucketSeconds < 21_600 ? { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' } : { weekday: 'short', hour: '2-digit', timeZone: 'UTC' }
  return date.toLocaleString('en-GB', options)
}

export function ActivityCharts({ activity }: { activity: ActivityResponse }) {
  const rows = activity.buckets.map((bucket) => ({ ...bucket, label: label(bucket.at, activity.bucketSeconds) }))
  return (
    <>
      {GROUPS.map((group) => (
        <section key={group.id} className="card" aria-labelledby={`${group.id}-heading`}>
          <h2 id={`${group.id}-heading`}>{group.title}</h2>
          <p className="muted small">
            {group.series.map((series) => `${LABELS[series]}: ${activity.totals[series]}`).join(' · ')}
          </p>
          <div aria-hidden="true" className="chart">
            <ResponsiveContainer width="100%" height={220}>
              {group.kind === 'line' ? (
                <LineChart accessibilityLayer={false} data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                  {frame()}
                  {group.series.map((series) => (
                    <Line key={series} type="linear" dataKey={series} name={LABELS[series]} stroke={COLOURS[series]} dot={false} strokeWidth={2} isAnimationActive={false} />
                  ))}
                </LineChart>
              ) : (
                <BarChart accessibilityLayer={false} data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                  {frame()}
                  {group.series.map((series) => (
                    <Bar key={series} dataKey={series} name={LABELS[series]} fill={COLOURS[series]} isAnimationActive={false} />
                  ))}
                </BarChart>
              )}
            </ResponsiveContainer>
          </div>
          <SeriesTable id={group.id} title={group.title} rows={rows} series={group.series} />
        </section>
      ))}
    </>
  )
}

/** The chart's numbers: only the buckets with something in them, so the table stays short. */
function SeriesTable({ id, title, rows, series }: { id: string; title: string; rows: Array<ActivityBucket & { label: string }>; series: ActivitySeries[] }) {
  const busy = rows.filter((row) => series.some((name) => row[name] > 0))
  return (
    <details>
      <summary>{title} as a table</summary>
      {busy.length === 0 ? (
        <p className="muted">Nothing in this range.</p>
      ) : (
        <ScrollTable id={id} caption={`${title}, per interval (UTC)`}>
          <thead>
            <tr>
              <th scope="col">From</th>
              {series.map((name) => (
                <th key={name} scope="col">
                  {LABELS[name]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {busy.map((row) => (
              <tr key={row.at}>
                <th scope="row">
                  <time dateTime={row.at}>{row.label}</time>
                </th>
                {series.map((name) => (
                  <td key={name}>{row[name]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </details>
  )
}
