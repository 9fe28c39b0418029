import { and, asc, eq, ne } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { auditEvents, users } from '@/lib/store/schema'
import { BearerClient, TestClient, expectProblem, json, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'
import type { z } from 'zod'
import type { AuditAnswer } from '@/lib/http/api-schemas'

// SPEC §7 admin API: users with roles (cursor pagination), change role, sign a user out
// everywhere, the audit log with filters and cursor pagination, newest first.
const app = setupTestApp()

type UserItem = { id: string; email: string; name: string | null; role: string; permissions: string[]; createdAt: string }
type AuditItem = z.infer<typeof AuditAnswer>['items'][number]

async function signedInAdmin() {
  const user = await createUser(app.db, { role: 'admin' })
  const cli = new BearerClient()
  expect((await cli.login(user.email, user.password)).status).toBe(200)
  return { user, cli }
}

async function signedInCli(user: { email: string; password: string }) {
  const cli = new BearerClient()
  expect((await cli.login(user.email, user.password)).status).toBe(200)
  return cli
}

describe('§7 GET /api/admin/users', () => {
  it('walks every user exactly once with limit and nextCursor, oldest first, and never shows a password hash', async () => {
    const { cli } = await signedInAdmin()
    for (let i = 0; i < 5; i++) await createUser(app.db, { name: `Paged ${i}` })
    const all = await app.db.select({ id: users.id }).from(users).orderBy(asc(users.id))
    const seen: UserItem[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const response = await cli.get(`/api/admin/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(response.status).toBe(200)
      const text = await response.clone().text()
      expect(text).not.toMatch(/scrypt|passwordHash|password_hash/)
      const page = await json<{ users: UserItem[]; nextCursor: string | null }>(response)
      expect(Object.keys(page).sort()).toEqual(['nextCursor', 'users'])
      expect(page.users.length).toBeLessThanOrEqual(2)
      seen.push(...page.users)
      cursor = page.nextCursor
      pages++
    } while (cursor && pages < 50)
    expect(cursor).toBeNull()
    expect(seen.map((u) => u.id)).toEqual(all.map((u) => u.id))
    expect(Object.keys(seen[0]!).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'permissions', 'role'])
    expect(seen.find((u) => u.name === 'Paged 0')).toMatchObject({ role: 'user', permissions: ['profile:read', 'profile:write'] })
  })

  it.each(['limit=0', 'limit=-1', 'limit=abc', 'limit=101', 'limit=1.5', `cursor=${'x'.repeat(65)}`])('a bad query (%s) is 400 VALIDATION_FAILED naming the parameter', async (query) => {
    const { cli } = await signedInAdmin()
    const body = await expectProblem(await cli.get(`/api/admin/users?${query}`), 400, 'VALIDATION_FAILED')
    expect(Object.keys(body.errors!)).toEqual([query.split('=')[0]])
  })
})

describe('§7 PATCH /api/admin/users/{id}', () => {
  it('refuses an unknown role (400) and an unknown user (404)', async () => {
    const { cli } = await signedInAdmin()
    const target = await createUser(app.db)
    const bad = await expectProblem(await cli.call('PATCH', `/api/admin/users/${target.id}`, { role: 'superuser' }), 400, 'VALIDATION_FAILED')
    expect(Object.keys(bad.errors!)).toEqual(['role'])
    await expectProblem(await cli.call('PATCH', '/api/admin/users/no-such-user', { role: 'admin' }), 404, 'NOT_FOUND')
  })

  it('the last admin cannot be demoted, not even by themselves', async () => {
    const { user: admin, cli } = await signedInAdmin()
    await app.db.update(users).set({ role: 'user' }).where(and(eq(users.role, 'admin'), ne(users.id, admin.id)))
    const refused = await expectProblem(await cli.call('PATCH', `/api/admin/users/${admin.id}`, { role: 'user' }), 400, 'VALIDATION_FAILED')
    expect(refused.errors).toHaveProperty('role')
    expect((await app.db.select().from(users).where(eq(users.id, admin.id)))[0]!.role).toBe('admin')
    expect((await cli.get('/api/admin/users')).status).toBe(200)
  })

  it('two admins demoting each other at the same moment still leave an admin', async () => {
    // A race needs both transactions to count the admins before either commits: try a few times.
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await signedInAdmin(), await signedInAdmin()]
      await app.db.update(users).set({ role: 'user' }).where(and(eq(users.role, 'admin'), ne(users.id, a.user.id), ne(users.id, b.user.id)))
      await Promise.all([a.cli.call('PATCH', `/api/admin/users/${b.user.id}`, { role: 'user' }), b.cli.call('PATCH', `/api/admin/users/${a.user.id}`, { role: 'user' })])
      const admins = await app.db.select().from(users).where(eq(users.role, 'admin'))
      expect(admins.length, `round ${round}`).toBeGreaterThanOrEqual(1)
    }
  })
})

describe('§7 POST /api/admin/users/{id}/revoke-sessions (sign out everywhere)', () => {
  it("ends every session of the user at once, bearer and cookie alike, and leaves the admin's own alone", async () => {
    const { cli: admin } = await signedInAdmin()
    const target = await createUser(app.db)
    const cli = await signedInCli(target)
    const browser = new TestClient()
    await signIn(browser, target.email, target.password)
    expect((await cli.get('/api/me')).status).toBe(200)

    const response = await admin.call('POST', `/api/admin/users/${target.id}/revoke-sessions`)
    expect(response.status).toBe(200)
    expect(await json(response)).toEqual({ revoked: 2 })

    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await cli.refresh(), 401, 'SESSION_REVOKED')
    await expectProblem(await browser.call('GET', '/api/me', { gate: true }), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await browser.call('POST', '/api/auth/refresh'), 401, 'SESSION_REVOKED')
    expect((await admin.get('/api/admin/users')).status).toBe(200)

    const revoked = await app.db.select().from(auditEvents).where(and(eq(auditEvents.userId, target.id), eq(auditEvents.event, 'session_revoked')))
    expect(revoked.map((e) => e.detail)).toEqual([{ reason: 'admin' }, { reason: 'admin' }])
  })

  it('the person can sign in again afterwards and the new session works', async () => {
    const clock = startFakeClock()
    const { cli: admin } = await signedInAdmin()
    const target = await createUser(app.db)
    await signedInCli(target)
    await admin.call('POST', `/api/admin/users/${target.id}/revoke-sessions`)
    clock.advance(1)
    const again = await signedInCli(target)
    expect((await again.get('/api/me')).status).toBe(200)
    clock.advance(15 * 60)
    expect((await again.refresh()).status).toBe(200)
  })

  it('an unknown user is 404 NOT_FOUND', async () => {
    const { cli } = await signedInAdmin()
    await expectProblem(await cli.call('POST', '/api/admin/users/no-such-user/revoke-sessions'), 404, 'NOT_FOUND')
  })
})

describe('§7 GET /api/admin/audit', () => {
  async function readAudit(cli: BearerClient, query: string) {
    const response = await cli.get(`/api/admin/audit?${query}`)
    expect(response.status).toBe(200)
    return json<{ items: AuditItem[]; nextCursor: string | null }>(response)
  }

  /** A person who signed in three times, an hour apart: 09:00, 10:00, 11:00. */
  async function personWithHistory() {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const person = await createUser(app.db)
    for (let i = 0; i < 3; i++) {
      if (i > 0) clock.advance(3600)
      await signedInCli(person)
    }
    await new TestClient().call('POST', '/api/auth/login', { body: { email: person.email, password: 'wrong-password' } })
    return person
  }

  it('answers {items, nextCursor} with exactly the fields of SPEC §7, newest first', async () => {
    const { cli } = await signedInAdmin()
    const person = await personWithHistory()
    const page = await readAudit(cli, `userId=${person.id}`)
    expect(Object.keys(page).sort()).toEqual(['items', 'nextCursor'])
    // SPEC §7's fields, plus the names the screen shows in place of ids (decision 028).
    expect(Object.keys(page.items[0]!).sort()).toEqual(['at', 'detail', 'deviceLabel', 'event', 'id', 'ip', 'jti', 'sessionId', 'tokenType', 'userAgent', 'userEmail', 'userId'])
    expect(page.items[0]!.event).toBe('login_failed')
    const times = page.items.map((e) => Date.parse(e.at))
    expect(times).toEqual([...times].sort((x, y) => y - x))
    const ids = page.items.map((e) => BigInt(e.id))
    expect(ids).toEqual([...ids].sort((x, y) => (y > x ? 1 : -1)))
    expect(page.items.every((e) => e.userId === person.id)).toBe(true)
  })

  it('filters by event, and by a from/to time range (inclusive), alone and combined', async () => {
    const { cli } = await signedInAdmin()
    const person = await personWithHistory()
    const logins = await readAudit(cli, `userId=${person.id}&event=login_succeeded`)
    expect(logins.items.map((e) => e.at)).toEqual(['2026-01-05T11:00:00.000Z', '2026-01-05T10:00:00.000Z', '2026-01-05T09:00:00.000Z'])

    const middle = await readAudit(cli, `userId=${person.id}&from=2026-01-05T09:30:00Z&to=2026-01-05T10:00:00Z`)
    expect(new Set(middle.items.map((e) => e.at))).toEqual(new Set(['2026-01-05T10:00:00.000Z']))
    expect(middle.items.map((e) => e.event).sort()).toEqual(['login_succeeded', 'token_issued', 'token_issued'])

    const withOffset = await readAudit(cli, `userId=${person.id}&event=token_issued&from=${encodeURIComponent('2026-01-05T11:00:00+01:00')}`)
    // 11:00+01:00 is 10:00Z: the tokens of the 10:00 and 11:00 sign-ins, not of the 09:00 one.
    expect(withOffset.items).toHaveLength(4)
    expect(withOffset.items.every((e) => e.event === 'token_issued' && e.at >= '2026-01-05T10:00:00.000Z')).toBe(true)
  })

  it('walks a long result with limit and cursor: every row once, in the same newest-first order', async () => {
    const { cli } = await signedInAdmin()
    const person = await personWithHistory()
    const whole = await readAudit(cli, `userId=${person.id}&limit=200`)
    expect(whole.nextCursor).toBeNull()
    const walked: AuditItem[] = []
    let cursor: string | null = null
    do {
      const page = await readAudit(cli, `userId=${person.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.items.length).toBeLessThanOrEqual(3)
      walked.push(...page.items)
      cursor = page.nextCursor
    } while (cursor && walked.length < 200)
    expect(walked.map((e) => e.id)).toEqual(whole.items.map((e) => e.id))
    expect(walked.length).toBe(10)
  })

  it.each([
    ['event=bogus', 'event'],
    ['from=yesterday', 'from'],
    ['to=2026-13-01T00:00:00Z', 'to'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=abc', 'cursor'],
    ['cursor=-1', 'cursor'],
    [`userId=${'u'.repeat(65)}`, 'userId'],
  ])('a bad query (%s) is 400 VALIDATION_FAILED naming %s', async (query, field) => {
    const { cli } = await signedInAdmin()
    const body = await expectProblem(await cli.get(`/api/admin/audit?${query}`), 400, 'VALIDATION_FAILED')
    expect(Object.keys(body.errors!)).toEqual([field])
  })

  it("names the person by email and the session by its device label, and filters by one session", async () => {
    const { cli } = await signedInAdmin()
    const person = await createUser(app.db)
    const first = await signedInCli(person)
    await signedInCli(person)
    const sid = decodeJwt(first.accessToken).sid as string
    const all = await readAudit(cli, `userId=${person.id}`)
    expect(new Set(all.items.map((e) => e.sessionId)).size).toBe(2)
    expect(all.items.every((e) => e.userEmail === person.email)).toBe(true)
    const [session] = (await json<{ sessions: { id: string; deviceLabel: string }[] }>(await first.get('/api/auth/sessions'))).sessions.filter((s) => s.id === sid)
    const one = await readAudit(cli, `sessionId=${sid}`)
    expect(one.items.map((e) => e.event).sort()).toEqual(['login_succeeded', 'token_issued', 'token_issued'])
    expect(one.items.every((e) => e.sessionId === sid && e.deviceLabel === session!.deviceLabel && e.userEmail === person.email)).toBe(true)
    // A failed sign-in of an unknown address has neither.
    await new TestClient().call('POST', '/api/auth/login', { body: { email: 'nobody-here@example.com', password: 'wrong-password' } })
    const failed = (await readAudit(cli, 'event=login_failed&limit=1')).items[0]!
    expect([failed.userId, failed.userEmail, failed.sessionId, failed.deviceLabel]).toEqual([null, null, null, null])
  })

  it('the sign-in the admin just made is on record with its session and token ids', async () => {
    const { user, cli } = await signedInAdmin()
    const { items } = await readAudit(cli, `userId=${user.id}`)
    const sid = decodeJwt(cli.accessToken).sid
    expect(items.map((e) => [e.event, e.tokenType, e.sessionId])).toEqual([
      ['token_issued', 'refresh', sid],
      ['token_issued', 'access', sid],
      ['login_succeeded', null, sid],
    ])
    expect(items[1]!.jti).toBe(decodeJwt(cli.accessToken).jti)
  })
})
