import { eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { auditEvents, users } from '@/lib/store/schema'
import { proxy } from '@/proxy'
import { BearerClient, TestClient, dispatch, expectProblem, json, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §6 and §7 RBAC: the gate's route rules are a first line, the handlers' checks the
// authority. Roles: admin (every permission), user (profile:read, profile:write).
const app = setupTestApp()

async function cliAs(role: 'admin' | 'user') {
  const user = await createUser(app.db, { role })
  const cli = new BearerClient()
  expect((await cli.login(user.email, user.password)).status).toBe(200)
  return { user, cli }
}

/** Every admin endpoint of SPEC §7, aimed at `targetId`. */
const adminCalls = (targetId: string) =>
  [
    ['GET', '/api/admin/users', undefined],
    ['GET', '/api/admin/users?limit=1', undefined],
    ['PATCH', `/api/admin/users/${targetId}`, { role: 'admin' }],
    ['POST', `/api/admin/users/${targetId}/revoke-sessions`, undefined],
    ['GET', '/api/admin/audit', undefined],
    ['GET', `/api/admin/audit?userId=${targetId}`, undefined],
  ] as const

describe('§7 a user calling every admin endpoint', () => {
  it('bearer: 403 FORBIDDEN at the gate, 403 again at the handler with the gate skipped, and nothing changes', async () => {
    const { cli } = await cliAs('user')
    const { user: target, cli: targetCli } = await cliAs('user')
    for (const [method, path, body] of adminCalls(target.id)) {
      await expectProblem(await cli.call(method, path, body), 403, 'FORBIDDEN')
      // CVE-2025-29927: a request can skip the middleware; the handler must refuse on its own.
      const skipped = cli.request(method, path, body, { authorization: `Bearer ${cli.accessToken}`, 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' })
      await expectProblem(await dispatch(skipped), 403, 'FORBIDDEN')
    }
    const [targetRow] = await app.db.select().from(users).where(eq(users.id, target.id))
    expect(targetRow!.role).toBe('user')
    expect((await targetCli.get('/api/me')).status).toBe(200)
    const events = await app.db.select().from(auditEvents).where(eq(auditEvents.userId, target.id))
    expect(events.map((e) => e.event)).not.toContain('role_changed')
  })

  it('cookie mode: 403 FORBIDDEN at the gate and at the handler alike', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient()
    await signIn(browser, user.email, user.password)
    for (const [method, path, body] of adminCalls(user.id)) {
      await expectProblem(await browser.call(method, path, { body, gate: true }), 403, 'FORBIDDEN')
      await expectProblem(await browser.call(method, path, { body }), 403, 'FORBIDDEN')
    }
    expect((await app.db.select().from(users).where(eq(users.id, user.id)))[0]!.role).toBe('user')
  })

  it('without a token every admin endpoint is 401 at the gate and at the handler', async () => {
    const anonymous = new TestClient()
    for (const [method, path, body] of adminCalls('anyone')) {
      await expectProblem(await anonymous.call(method, path, { body, gate: true }), 401, 'UNAUTHENTICATED')
      await expectProblem(await anonymous.call(method, path, { body }), 401, 'UNAUTHENTICATED')
    }
  })

  it('a token whose claims were edited to say admin is refused as invalid, not obeyed', async () => {
    const { cli } = await cliAs('user')
    const [header, payload, signature] = cli.accessToken.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, role: 'admin', permissions: ['users:read', 'users:write', 'audit:read'] })).toString('base64url')
    const forged = `${header}.${forgedPayload}.${signature}`
    for (const [method, path, body] of adminCalls(claims.sub)) {
      await expectProblem(await cli.call(method, path, body, forged), 401, 'ACCESS_TOKEN_INVALID')
      await expectProblem(await dispatch(cli.request(method, path, body, { authorization: `Bearer ${forged}` })), 401, 'ACCESS_TOKEN_INVALID')
    }
  })

  it('an admin passes the gate and the handler on the same endpoints', async () => {
    const { cli } = await cliAs('admin')
    expect((await cli.get('/api/admin/users')).status).toBe(200)
    expect((await cli.get('/api/admin/audit')).status).toBe(200)
  })
})

describe('§6 a role change while an access token is live', () => {
  it('promotion: the next request is 401 ACCESS_TOKEN_STALE, and the refresh carries the admin role and permissions', async () => {
    const clock = startFakeClock()
    const { cli: admin } = await cliAs('admin')
    const { user, cli } = await cliAs('user')
    clock.advance(60)
    const changed = await admin.call('PATCH', `/api/admin/users/${user.id}`, { role: 'admin' })
    expect(changed.status).toBe(200)
    expect((await json<{ user: { role: string; permissions: string[] } }>(changed)).user).toMatchObject({ role: 'admin', permissions: expect.arrayContaining(['users:write', 'audit:read']) })
    clock.advance(1)
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_STALE')
    await expectProblem(await dispatch(cli.request('GET', '/api/me', undefined, { authorization: `Bearer ${cli.accessToken}` })), 401, 'ACCESS_TOKEN_STALE')
    // The stale token does not make the refresh "not yet due": it rotates.
    const refreshed = await cli.refresh({ withAccess: true })
    expect((await json<{ rotated: boolean }>(refreshed)).rotated).toBe(true)
    expect(decodeJwt(cli.accessToken)).toMatchObject({ role: 'admin', permissions: expect.arrayContaining(['users:read', 'users:write', 'audit:read']) })
    expect((await cli.get('/api/admin/users')).status).toBe(200)
  })

  it("demotion: the admin's next admin call is 401 ACCESS_TOKEN_STALE, and after the refresh it is 403", async () => {
    const clock = startFakeClock()
    const { cli: boss } = await cliAs('admin')
    const { user: demoted, cli } = await cliAs('admin')
    expect((await cli.get('/api/admin/users')).status).toBe(200)
    clock.advance(60)
    expect((await boss.call('PATCH', `/api/admin/users/${demoted.id}`, { role: 'user' })).status).toBe(200)
    clock.advance(1)
    await expectProblem(await cli.get('/api/admin/users'), 401, 'ACCESS_TOKEN_STALE')
    await expectProblem(await dispatch(cli.request('POST', `/api/admin/users/${demoted.id}/revoke-sessions`, undefined, { authorization: `Bearer ${cli.accessToken}` })), 401, 'ACCESS_TOKEN_STALE')
    expect((await cli.refresh()).status).toBe(200)
    expect(decodeJwt(cli.accessToken)).toMatchObject({ role: 'user', permissions: ['profile:read', 'profile:write'] })
    await expectProblem(await cli.get('/api/admin/users'), 403, 'FORBIDDEN')
    await expectProblem(await dispatch(cli.request('GET', '/api/admin/audit', undefined, { authorization: `Bearer ${cli.accessToken}` })), 403, 'FORBIDDEN')
    // The role change is on record, with who made it.
    const [row] = await app.db.select().from(auditEvents).where(eq(auditEvents.userId, demoted.id)).then((rows) => rows.filter((e) => e.event === 'role_changed'))
    expect(row!.detail).toMatchObject({ from: 'admin', to: 'user', by: decodeJwt(boss.accessToken).sub })
  })

  it('cookie mode: the gate answers STALE on admin APIs, and after a refresh the new admin passes', async () => {
    const clock = startFakeClock()
    const { cli: admin } = await cliAs('admin')
    const user = await createUser(app.db)
    const browser = new TestClient()
    await signIn(browser, user.email, user.password)
    clock.advance(60)
    await admin.call('PATCH', `/api/admin/users/${user.id}`, { role: 'admin' })
    clock.advance(1)
    await expectProblem(await browser.call('GET', '/api/admin/users', { gate: true }), 401, 'ACCESS_TOKEN_STALE')
    expect((await browser.call('POST', '/api/auth/refresh')).status).toBe(200)
    expect((await browser.call('GET', '/api/admin/users', { gate: true })).status).toBe(200)
  })

  it('a role change right after a rotation still takes effect at the next refresh (not refused by the rotation interval)', async () => {
    const clock = startFakeClock()
    const { cli: admin } = await cliAs('admin')
    const { user, cli } = await cliAs('user')
    clock.advance(15 * 60)
    expect((await cli.refresh()).status).toBe(200) // a routine rotation
    clock.advance(5)
    await admin.call('PATCH', `/api/admin/users/${user.id}`, { role: 'admin' })
    clock.advance(1)
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_STALE')
    // SPEC §6: "the next refresh picks up the new claims". A 429 here leaves the person with no
    // usable token until the interval passes (and the gate's navigation refresh sends them to /login).
    const refreshed = await cli.refresh({ withAccess: true })
    expect(refreshed.status).toBe(200)
    expect(decodeJwt(cli.accessToken).role).toBe('admin')
  })

  it('cookie mode: a page navigation right after a role change and a recent rotation is not sent to /login', async () => {
    const clock = startFakeClock()
    const { cli: admin } = await cliAs('admin')
    const user = await createUser(app.db)
    const browser = new TestClient()
    await signIn(browser, user.email, user.password)
    clock.advance(15 * 60)
    expect((await browser.call('POST', '/api/auth/refresh')).status).toBe(200)
    clock.advance(5)
    await admin.call('PATCH', `/api/admin/users/${user.id}`, { role: 'admin' })
    clock.advance(1)
    const page = await proxy(new NextRequest(browser.request('GET', '/dashboard', { headers: { accept: 'text/html' } })))
    expect(page.headers.get('location')).toBeNull()
    expect(page.headers.get('x-middleware-next')).toBe('1')
  })
})
