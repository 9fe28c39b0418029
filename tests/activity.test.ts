import { sql } from 'drizzle-orm'
import type { ActivityResponse } from '@/lib/shared/api-types'
import { describe, expect, it } from 'vitest'
import { activityQueries, readActivity } from '@/lib/auth/activity'
import { BearerClient, TestClient, connectingFrom, expectProblem, signIn } from './support/client'
import { createUser, setupTestApp, startFakeClock } from './support/harness'

// SPEC §7 GET /api/admin/activity and §9 /admin/activity: bucketed counts of token events from
// the audit table, failures by reason, top addresses by failed sign-ins, live sessions; every
// query bounded by `at` and served by an index.
const app = setupTestApp()

async function admin() {
  const user = await createUser(app.db, { role: 'admin' })
  const cli = new BearerClient()
  await cli.login(user.email, user.password)
  return cli
}

describe('GET /api/admin/activity', () => {
  it('counts what a scripted session just did, in the bucket it happened in', async () => {
    const clock = startFakeClock(Date.parse('2026-12-02T09:30:20Z'))
    const before = await readActivity({ range: '1h' }, Date.now())
    const user = await createUser(app.db)
    const attacker = new TestClient(connectingFrom('203.0.113.9'))
    for (let i = 0; i < 3; i++) await signIn(attacker, user.email, `wrong-password-${i}`)
    const cli = new BearerClient()
    await cli.login(user.email, user.password)
    clock.advance(15 * 60)
    const used = cli.refreshToken
    await cli.refresh()
    // Within the reuse grace, the used token again: a grace replay (the same successor), not reuse.
    expect((await cli.refresh({ refreshToken: used })).status).toBe(200)
    clock.advance(60)
    await cli.refresh({ refreshToken: used }) // reuse: the session is revoked

    const response = await (await admin()).get('/api/admin/activity?range=1h')
    expect(response.status).toBe(200)
    const body = (await response.json()) as ActivityResponse
    expect(body.bucketSeconds).toBe(60)
    expect(body.buckets).toHaveLength(60)
    expect(body.buckets.at(-1)!.at).toBe('2026-12-02T09:46:00.000Z')
    if (!before.ok) throw new Error('unreachable')
    const was = before.activity.totals
    expect(body.totals.signInFailures - was.signInFailures).toBe(3)
    expect(body.totals.signIns - was.signIns).toBe(2) // the person and the admin
    expect(body.totals.refreshes - was.refreshes).toBe(1)
    expect(body.totals.graceReplays - was.graceReplays).toBe(1)
    expect(body.buckets.find((b) => b.at === '2026-12-02T09:45:00.000Z')!.graceReplays).toBeGreaterThanOrEqual(1)
    expect(body.totals.reuseDetections - was.reuseDetections).toBe(1)
    expect(body.totals.revokedSessions - was.revokedSessions).toBe(1)
    // The failures happened at 09:30, the refresh at 09:45: each in its own minute.
    expect(body.buckets.find((b) => b.at === '2026-12-02T09:30:00.000Z')!.signInFailures).toBeGreaterThanOrEqual(3)
    expect(body.buckets.find((b) => b.at === '2026-12-02T09:45:00.000Z')!.refreshes).toBeGreaterThanOrEqual(1)
    expect(body.failures).toContainEqual({ event: 'login_failed', reason: 'wrong_password', count: expect.any(Number) })
    expect(body.failures).toContainEqual({ event: 'refresh_reuse_detected', reason: '', count: expect.any(Number) })
    expect(body.topFailedAddresses[0]).toEqual({ ip: '203.0.113.9', count: 3 })
    expect(body.activeSessions).toBeGreaterThanOrEqual(1)
  })

  it('takes 1h, 24h and 7d and refuses anything else; admins only', async () => {
    const cli = await admin()
    const sizes: Record<string, [number, number]> = { '1h': [60, 60], '24h': [24, 3600], '7d': [28, 21600] }
    for (const [range, [length, seconds]] of Object.entries(sizes)) {
      const body = (await (await cli.get(`/api/admin/activity?range=${range}`)).json()) as { buckets: unknown[]; bucketSeconds: number }
      expect([body.buckets.length, body.bucketSeconds]).toEqual([length, seconds])
    }
    for (const range of ['2h', '', '1H', '7d;', "24h' or 1=1"]) await expectProblem(await cli.get(`/api/admin/activity?range=${encodeURIComponent(range)}`), 400, 'VALIDATION_FAILED')
    const person = await createUser(app.db)
    const other = new BearerClient()
    await other.login(person.email, person.password)
    await expectProblem(await other.get('/api/admin/activity'), 403, 'FORBIDDEN')
  })
})

describe('the queries', () => {
  it('are served by audit_events_at_idx, never a scan of the whole audit table', async () => {
    // 30 days of background events, so a range is a small slice and the planner's choice is real.
    await app.db.execute(sql`
      insert into audit_events (at, event, ip, detail)
      select now() - (g * interval '2 minutes'), (array['login_succeeded','login_failed','token_refreshed','token_issued'])[1 + g % 4], '198.51.100.' || (g % 50), '{}'::jsonb
      from generate_series(1, 21600) g`)
    await app.db.execute(sql`analyze audit_events`)
    const { issuedPlans } = await capturePlans()
    for (const plan of issuedPlans) {
      expect(plan, plan).not.toMatch(/Seq Scan on audit_events/)
      expect(plan, plan).toMatch(/audit_events_at_idx/)
    }
    expect(issuedPlans.length).toBe(3)
    console.log(`Activity query plans (1h range):\n${issuedPlans.join('\n---\n')}`)
  })
})

/** EXPLAIN of each audit query of a 1h range, with its parameters inlined. */
async function capturePlans(): Promise<{ issuedPlans: string[] }> {
  const now = Date.now()
  const queries = activityQueries(app.db, new Date(now - 3_600_000), new Date(now), 60)
  const issuedPlans: string[] = []
  for (const query of [queries.perBucket, queries.failures, queries.topFailedAddresses]) {
    const { sql: text, params } = query.toSQL()
    const inlined = text.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]))
    const result = (await app.db.execute(sql.raw(`explain ${inlined}`))) as unknown as { rows: Array<Record<string, string>> }
    issuedPlans.push(result.rows.map((row) => Object.values(row)[0]).join('\n'))
  }
  return { issuedPlans }
}

function literal(value: unknown): string {
  if (typeof value === 'number') return String(value)
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`
  return `'${String(value).replaceAll("'", "''")}'`
}
