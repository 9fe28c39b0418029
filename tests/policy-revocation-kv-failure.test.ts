import { and, eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setKvForTests } from './support/seams'
import { auditEvents, sessions, users } from '@/lib/store/schema'
import { BearerClient, CLI_HEADERS, TestClient, connectingFrom, expectProblem, signIn } from './support/client'
import { createUser, setupTestApp, startFakeClock } from './support/harness'
import { kvWithFailingWrites } from './support/kv-faults'

// SPEC §6 with a KV that refuses writes (reads still answer, so the gate keeps checking): a
// revocation the caller was told succeeded is in force on the very next request, and one that
// answered 503 left the database as it was, so a retry does the whole thing (docs/decisions/013).
// Defaults: AUTH_UA_POLICY=block, AUTH_IP_POLICY=flag, grace 10s, interval 30s.
const app = setupTestApp({ AUTH_UA_POLICY: 'block' })
const kv = { failWrites: (_on: boolean) => {} }

beforeAll(() => {
  const faulty = kvWithFailingWrites(app.kv)
  setKvForTests(faulty.store)
  kv.failWrites = faulty.failWrites
})
beforeEach(() => kv.failWrites(false))

async function cliSignedIn(user?: Awaited<ReturnType<typeof createUser>>) {
  const person = user ?? (await createUser(app.db))
  const cli = new BearerClient(connectingFrom('192.0.2.51', CLI_HEADERS))
  expect((await cli.login(person.email, person.password)).status).toBe(200)
  return { user: person, cli, sid: decodeJwt(cli.refreshToken).sid as string }
}

async function adminSignedIn() {
  const { cli } = await cliSignedIn(await createUser(app.db, { role: 'admin' }))
  return cli
}

async function sessionRow(sid: string) {
  const [row] = await app.db.select().from(sessions).where(eq(sessions.id, sid))
  return row!
}

async function revocationsOf(userId: string) {
  return app.db.select().from(auditEvents).where(and(eq(auditEvents.userId, userId), eq(auditEvents.event, 'session_revoked')))
}

/** The 503 left nothing behind: the session is live in the database, nothing was audited, the token still passes. */
async function expectUntouched(userId: string, sid: string, holder: BearerClient) {
  expect((await sessionRow(sid)).revokedAt).toBeNull()
  expect(await revocationsOf(userId)).toEqual([])
  expect((await holder.get('/api/me')).status).toBe(200)
}

describe('§6 ending a session while the KV refuses writes: 503, nothing changed, and a retry ends it at once', () => {
  it('logout with only the refresh token (bearer)', async () => {
    const { user, cli, sid } = await cliSignedIn()
    const logout = () => cli.call('POST', '/api/auth/logout', { refreshToken: cli.refreshToken }, '')
    kv.failWrites(true)
    await expectProblem(await logout(), 503, 'SERVICE_UNAVAILABLE')
    await expectUntouched(user.id, sid, cli)

    kv.failWrites(false)
    expect((await logout()).status).toBe(200)
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await cli.refresh(), 401, 'SESSION_REVOKED')
  })

  it('logout in cookie mode after the access cookie is gone', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient(connectingFrom('192.0.2.52'))
    await signIn(browser, user.email, user.password)
    const sid = decodeJwt(browser.cookies.get('njjwt-rt')!).sid as string
    // A copy of the access token somewhere else (another request in flight, a thief) that must die with the session.
    const copy = new BearerClient(CLI_HEADERS)
    copy.accessToken = browser.cookies.get('njjwt-at')!
    browser.cookies.delete('njjwt-at')
    kv.failWrites(true)
    await expectProblem(await browser.call('POST', '/api/auth/logout'), 503, 'SERVICE_UNAVAILABLE')
    await expectUntouched(user.id, sid, copy)

    kv.failWrites(false)
    expect((await browser.call('POST', '/api/auth/logout')).status).toBe(200)
    await expectProblem(await copy.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('DELETE /api/auth/sessions/{id}', async () => {
    const { user, cli: laptop } = await cliSignedIn()
    const { cli: phone, sid } = await cliSignedIn(user)
    kv.failWrites(true)
    await expectProblem(await laptop.call('DELETE', `/api/auth/sessions/${sid}`), 503, 'SERVICE_UNAVAILABLE')
    await expectUntouched(user.id, sid, phone)

    kv.failWrites(false)
    expect((await laptop.call('DELETE', `/api/auth/sessions/${sid}`)).status).toBe(200)
    await expectProblem(await phone.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('POST /api/auth/sessions/revoke-others', async () => {
    const { user, cli: laptop } = await cliSignedIn()
    const { cli: phone, sid } = await cliSignedIn(user)
    kv.failWrites(true)
    await expectProblem(await laptop.call('POST', '/api/auth/sessions/revoke-others'), 503, 'SERVICE_UNAVAILABLE')
    await expectUntouched(user.id, sid, phone)

    kv.failWrites(false)
    expect((await laptop.call('POST', '/api/auth/sessions/revoke-others')).status).toBe(200)
    await expectProblem(await phone.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
    expect((await laptop.get('/api/me')).status).toBe(200)
  })

  it('an admin signing the person out everywhere', async () => {
    const admin = await adminSignedIn()
    const { user, cli, sid } = await cliSignedIn()
    kv.failWrites(true)
    await expectProblem(await admin.call('POST', `/api/admin/users/${user.id}/revoke-sessions`), 503, 'SERVICE_UNAVAILABLE')
    await expectUntouched(user.id, sid, cli)

    kv.failWrites(false)
    expect((await admin.call('POST', `/api/admin/users/${user.id}/revoke-sessions`)).status).toBe(200)
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('a password change: the password stays, the other sessions live, and the retry with the same current password works', async () => {
    const clock = startFakeClock()
    const { user, cli: laptop } = await cliSignedIn()
    const { cli: phone, sid } = await cliSignedIn(user)
    const oldAccess = laptop.accessToken
    clock.advance(60)
    const change = () => laptop.call('POST', '/api/auth/password', { currentPassword: user.password, newPassword: 'a-brand-new-passphrase' })
    kv.failWrites(true)
    await expectProblem(await change(), 503, 'SERVICE_UNAVAILABLE')
    await expectUntouched(user.id, sid, phone)
    const [row] = await app.db.select().from(users).where(eq(users.id, user.id))
    expect(row!.passwordHash).toBe(user.passwordHash)
    expect((await laptop.get('/api/me')).status).toBe(200)

    kv.failWrites(false)
    expect((await change()).status).toBe(200)
    await expectProblem(await phone.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await laptop.get('/api/me', oldAccess), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('a role change: the role stays, and after the retry the old token is stale at once', async () => {
    const clock = startFakeClock()
    const admin = await adminSignedIn()
    const { user, cli } = await cliSignedIn()
    clock.advance(60)
    const promote = () => admin.call('PATCH', `/api/admin/users/${user.id}`, { role: 'admin' })
    kv.failWrites(true)
    await expectProblem(await promote(), 503, 'SERVICE_UNAVAILABLE')
    const [row] = await app.db.select().from(users).where(eq(users.id, user.id))
    expect(row!.role).toBe('user')
    expect(await app.db.select().from(auditEvents).where(and(eq(auditEvents.userId, user.id), eq(auditEvents.event, 'role_changed')))).toEqual([])

    kv.failWrites(false)
    expect((await promote()).status).toBe(200)
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_STALE')
  })
})

describe('§4/§5 a theft detected at refresh while the KV refuses writes: 503, nothing changed, and the retry ends the session at once', () => {
  it('reuse of a rotated refresh token', async () => {
    const clock = startFakeClock()
    const { user, cli, sid } = await cliSignedIn()
    const stolen = cli.refreshToken
    expect((await cli.refresh()).status).toBe(200)
    clock.advance(11) // past the reuse grace
    kv.failWrites(true)
    await expectProblem(await cli.refresh({ refreshToken: stolen }), 503, 'SERVICE_UNAVAILABLE')
    await expectUntouched(user.id, sid, cli)
    expect(await app.db.select().from(auditEvents).where(and(eq(auditEvents.userId, user.id), eq(auditEvents.event, 'refresh_reuse_detected')))).toEqual([])

    kv.failWrites(false)
    await expectProblem(await cli.refresh({ refreshToken: stolen }), 401, 'REFRESH_TOKEN_REUSED')
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('a refresh from another device', async () => {
    const { user, cli, sid } = await cliSignedIn()
    kv.failWrites(true)
    await expectProblem(await cli.refresh({ deviceId: 'thief-device-0123456789' }), 503, 'SERVICE_UNAVAILABLE')
    await expectUntouched(user.id, sid, cli)

    kv.failWrites(false)
    await expectProblem(await cli.refresh({ deviceId: 'thief-device-0123456789' }), 401, 'DEVICE_MISMATCH')
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('a refresh from another browser (AUTH_UA_POLICY=block)', async () => {
    const { user, cli, sid } = await cliSignedIn()
    const thief = new BearerClient(connectingFrom('192.0.2.51', { 'user-agent': 'curl/8.5.0', 'accept-language': 'en' }))
    Object.assign(thief, { refreshToken: cli.refreshToken, deviceId: cli.deviceId })
    kv.failWrites(true)
    await expectProblem(await thief.refresh(), 503, 'SERVICE_UNAVAILABLE')
    await expectUntouched(user.id, sid, cli)

    kv.failWrites(false)
    await expectProblem(await thief.refresh(), 401, 'SESSION_ANOMALY')
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('the gate refreshing a page navigation hits a reused token: 503 there too, never a pass', async () => {
    const clock = startFakeClock()
    const user = await createUser(app.db)
    const browser = new TestClient(connectingFrom('192.0.2.53'))
    await signIn(browser, user.email, user.password)
    const sid = decodeJwt(browser.cookies.get('njjwt-rt')!).sid as string
    const stolen = new TestClient(connectingFrom('192.0.2.53'))
    for (const [name, value] of browser.cookies) stolen.cookies.set(name, value)
    stolen.cookies.delete('njjwt-at')
    clock.advance(15 * 60)
    expect((await browser.call('POST', '/api/auth/refresh')).status).toBe(200)
    clock.advance(11)
    kv.failWrites(true)
    const page = await stolen.call('GET', '/dashboard', { gate: true, headers: { accept: 'text/html' } })
    expect(page.status).toBe(503)
    expect((await sessionRow(sid)).revokedAt).toBeNull()

    kv.failWrites(false)
    const again = await stolen.call('GET', '/dashboard', { gate: true, headers: { accept: 'text/html' } })
    expect(again.headers.get('location')).toMatch(/\/login\?next=/)
    await expectProblem(await browser.call('GET', '/api/me', { gate: true }), 401, 'ACCESS_TOKEN_REVOKED')
  })
})
