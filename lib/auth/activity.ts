import 'server-only'
import { and, count, eq, gt, gte, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import { ACTIVITY_SERIES, type ActivityBucket, type ActivityRange, type ActivityResponse, type ActivitySeries } from '@/lib/shared/api-types'
import type { AuditEvent } from '@/lib/shared/audit-events'
import type { Outcome } from '@/lib/shared/outcome'
import { getDb, type Db } from '@/lib/store/db'
import { auditEvents, sessions } from '@/lib/store/schema'

// The Activity screen (SPEC §9 /admin/activity, §7 GET /api/admin/activity): token events over a
// range, in buckets, straight from the audit table. Every query is bounded by `at` and served by
// audit_events_at_idx (tests/activity.test.ts reads the plans); nothing scans the whole table.

const RANGES: Record<ActivityRange, { seconds: number; bucketSeconds: number }> = {
  '1h': { seconds: 3600, bucketSeconds: 60 },
  '24h': { seconds: 86_400, bucketSeconds: 3600 },
  '7d': { seconds: 7 * 86_400, bucketSeconds: 6 * 3600 },
}

const SERIES_OF: Partial<Record<AuditEvent, ActivitySeries>> = {
  login_succeeded: 'signIns',
  login_failed: 'signInFailures',
  token_refreshed: 'refreshes',
  refresh_replayed: 'graceReplays',
  refresh_reuse_detected: 'reuseDetections',
  session_revoked: 'revokedSessions',
  rate_limited: 'rateLimited',
}
const CHARTED = Object.keys(SERIES_OF) as AuditEvent[]
const FAILURES: AuditEvent[] = ['login_failed', 'refresh_reuse_detected', 'device_mismatch', 'anomaly_detected', 'rate_limited']

const zero = (): Record<ActivitySeries, number> => Object.fromEntries(ACTIVITY_SERIES.map((name) => [name, 0])) as Record<ActivitySeries, number>

/** The three audit-table queries of one range, unrun (tests/activity.test.ts reads their plans). */
export function activityQueries(db: Db, from: Date, to: Date, bucketSeconds: number) {
  const inRange = and(gte(auditEvents.at, from), lt(auditEvents.at, to))
  // Inlined, not a parameter: GROUP BY must see the very expression of the SELECT list. One of RANGES' own numbers.
  const bucket = sql<number>`floor(extract(epoch from ${auditEvents.at}) / ${sql.raw(String(Math.trunc(bucketSeconds)))})::bigint`
  const reason = sql<string>`coalesce(${auditEvents.detail}->>'reason', ${auditEvents.detail}->>'limit', ${auditEvents.detail}->>'kind', '')`
  return {
    perBucket: db
      .select({ bucket, event: auditEvents.event, n: count() })
      .from(auditEvents)
      .where(and(inRange, inArray(auditEvents.event, CHARTED)))
      .groupBy(bucket, auditEvents.event),
    failures: db
      .select({ event: auditEvents.event, reason, n: count() })
      .from(auditEvents)
      .where(and(inRange, inArray(auditEvents.event, FAILURES)))
      .groupBy(auditEvents.event, reason)
      .orderBy(sql`count(*) desc`),
    topFailedAddresses: db
      .select({ ip: auditEvents.ip, n: count() })
      .from(auditEvents)
      .where(and(inRange, eq(auditEvents.event, 'login_failed'), isNotNull(auditEvents.ip)))
      .groupBy(auditEvents.ip)
      .orderBy(sql`count(*) desc`, auditEvents.ip)
      .limit(5),
  }
}

export async function readActivity(input: { range: ActivityRange }, nowMs = Date.now()): Promise<Outcome<{ activity: ActivityResponse }>> {
  const { seconds, bucketSeconds } = RANGES[input.range]
  const step = bucketSeconds * 1000
  // Whole buckets, the last one holding now.
  const end = Math.floor(nowMs / step) * step + step
  const start = end - seconds * 1000
  const from = new Date(start)
  const to = new Date(end)
  const db = await getDb()
  const queries = activityQueries(db, from, to, bucketSeconds)
  const [perBucket, failures, addresses, [live]] = await Promise.all([
    queries.perBucket,
    queries.failures,
    queries.topFailedAddresses,
    db
      .select({ n: count() })
      .from(sessions)
      .where(and(isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date(nowMs)))),
  ])

  const buckets: ActivityBucket[] = []
  for (let at = start; at < end; at += step) buckets.push({ at: new Date(at).toISOString(), ...zero() })
  const totals = zero()
  for (const row of perBucket) {
    const series = SERIES_OF[row.event as AuditEvent]
    const index = Math.floor((Number(row.bucket) * bucketSeconds * 1000 - start) / step)
    if (!series || index < 0 || index >= buckets.length) continue
    buckets[index]![series] += Number(row.n)
    totals[series] += Number(row.n)
  }
  const activity: ActivityResponse = {
    range: input.range,
    from: from.toISOString(),
    to: to.toISOString(),
    bucketSeconds,
    buckets,
    totals,
    failures: failures.map((row) => ({ event: row.event, reason: row.reason, count: Number(row.n) })),
    topFailedAddresses: addresses.map((row) => ({ ip: row.ip!, count: Number(row.n) })),
    activeSessions: Number(live?.n ?? 0),
  }
  return { ok: true, activity }
}
