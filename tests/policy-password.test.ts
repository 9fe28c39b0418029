import { and, eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import * as passwords from '@/lib/auth/passwords'
import { auditEvents, sessions, users } from '@/lib/store/schema'
import { BearerClient, CLI_HEADERS, TestClient, connectingFrom, expectProblem, json, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §7 POST /api/auth/password and §6: a new password ends every other session at once
// (access tokens refused on the next request, refresh tokens dead), rotates this one, and is
// audited. Passwords are hashed with a memory-hard KDF.
const app = setupTestApp({ AUTH_LOGIN_LIMIT: '5' })

const NEW_PASSWORD = 'a-brand-new-passphrase'
type Tokens = { accessToken: string; refreshToken: string; deviceId: string }

/** One person signed in on three devices; the CLI is where the password gets changed. */
async function personWithThreeSessions() {
  const user = await createUser(app.db)
  const cli = new BearerClient(connectingFrom('192.0.2.41', CLI_HEADERS))
  await cli.login(user.email, user.password)
  const laptop = new TestClient(connectingFrom('192.0.2.42'))
  await signIn(laptop, user.email, user.password)
  const phone = new BearerClient(connectingFrom('192.0.2.43', CLI_HEADERS))
  await phone.login(user.email, user.password)
  return { user, cli, laptop, phone }
}

function changePassword(cli: BearerClient, currentPassword: string, newPassword = NEW_PASSWORD) {
  return cli.call('POST', '/api/auth/password', { currentPassword, newPassword })
}

async function login(email: string, password: string, ip = '192.0.2.49') {
  return new TestClient(connectingFrom(ip)).call('POST', '/api/auth/login', { body: { email, password } })
}

describe('§7 password change with two other live sessions', () => {
  it('both other sessions are refused at once: access → ACCESS_TOKEN_REVOKED, refresh → SESSION_REVOKED', async () => {
    const clock = startFakeClock()
    const { user, cli, laptop, phone } = await personWithThreeSessions()
    clock.advance(60)
    expect((await changePassword(cli, user.password)).status).toBe(200)
    await expectProblem(await phone.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await phone.refresh(), 401, 'SESSION_REVOKED')
    await expectProblem(await laptop.call('GET', '/api/me', { gate: true }), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await laptop.call('POST', '/api/auth/refresh'), 401, 'SESSION_REVOKED')
  })

  it('this session goes on with the new tokens it was given; its old access token is refused like every older one', async () => {
    const clock = startFakeClock()
    const { user, cli } = await personWithThreeSessions()
    const old = { access: cli.accessToken, refresh: cli.refreshToken }
    clock.advance(60)
    const response = await changePassword(cli, user.password)
    const body = await json<Tokens & { user: { id: string }; session: { id: string } }>(response)
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'deviceId', 'refreshToken', 'session', 'user'])
    expect(body.session.id).toBe(decodeJwt(old.refresh).sid)
    expect(body.refreshToken).not.toBe(old.refresh)
    expect(decodeJwt(body.refreshToken).sid).toBe(decodeJwt(old.refresh).sid)

    await expectProblem(await cli.get('/api/me', old.access), 401, 'ACCESS_TOKEN_REVOKED')
    Object.assign(cli, { accessToken: body.accessToken, refreshToken: body.refreshToken })
    expect((await cli.get('/api/me')).status).toBe(200)
    clock.advance(15 * 60)
    expect((await cli.refresh()).status).toBe(200)
    expect((await cli.get('/api/me')).status).toBe(200)
  })

  it('cookie mode: the browser that changed it gets new cookies and stays signed in', async () => {
    const clock = startFakeClock()
    const { user, laptop, cli } = await personWithThreeSessions()
    const before = laptop.cookies.get('njjwt-rt')
    clock.advance(60)
    const response = await laptop.call('POST', '/api/auth/password', { body: { currentPassword: user.password, newPassword: NEW_PASSWORD } })
    expect(response.status).toBe(200)
    expect(await response.clone().text()).not.toMatch(/eyJ/)
    expect(laptop.cookies.get('njjwt-rt')).not.toBe(before)
    expect((await laptop.call('GET', '/api/me', { gate: true })).status).toBe(200)
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
    clock.advance(15 * 60)
    expect((await laptop.call('POST', '/api/auth/refresh')).status).toBe(200)
  })

  it('the old password no longer signs in; the new one does', async () => {
    const clock = startFakeClock()
    const { user, cli } = await personWithThreeSessions()
    clock.advance(60)
    await changePassword(cli, user.password)
    clock.advance(1)
    await expectProblem(await login(user.email, user.password), 401, 'INVALID_CREDENTIALS')
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200)
  })

  it('is audited as password_changed on this session, with the other sessions revoked for that reason', async () => {
    const clock = startFakeClock()
    const { user, cli, phone } = await personWithThreeSessions()
    clock.advance(60)
    await changePassword(cli, user.password)
    const trail = await app.db.select().from(auditEvents).where(eq(auditEvents.userId, user.id))
    expect(trail.filter((e) => e.event === 'password_changed')).toMatchObject([{ sessionId: decodeJwt(cli.refreshToken).sid, ip: '192.0.2.41', detail: { otherSessionsRevoked: 2 } }])
    const revoked = trail.filter((e) => e.event === 'session_revoked')
    expect(revoked).toHaveLength(2)
    expect(revoked.every((e) => e.detail.reason === 'password_changed')).toBe(true)
    expect(revoked.map((e) => e.sessionId)).toContain(decodeJwt(phone.refreshToken).sid)
    expect(JSON.stringify(trail)).not.toContain(NEW_PASSWORD)
  })
})

/** A perfect copy of a browser's cookies (refresh, access and device id), as malware or a synced profile would take it. */
function copyOf(browser: TestClient, headers = browser.headers): TestClient {
  const copy = new TestClient(headers)
  for (const [name, value] of browser.cookies) copy.cookies.set(name, value)
  return copy
}

async function browserSignedIn(ip = '192.0.2.44') {
  const user = await createUser(app.db)
  const browser = new TestClient(connectingFrom(ip))
  await signIn(browser, user.email, user.password)
  return { user, browser, sid: decodeJwt(browser.cookies.get('njjwt-rt')!).sid as string }
}

function changeInBrowser(browser: TestClient, currentPassword: string) {
  return browser.call('POST', '/api/auth/password', { body: { currentPassword, newPassword: NEW_PASSWORD } })
}

/** A refused refresh gave out nothing: no token in the body, and the only cookies it sets are deletions. */
async function expectNoTokens(response: Response) {
  expect(await response.clone().text()).not.toMatch(/eyJ/)
  expect(response.headers.getSetCookie().filter((line) => !/max-age=0/i.test(line))).toEqual([])
}

// The point of rotating the changer's own session is that a copy of its cookies taken before the
// change dies with the old password. The reuse grace (§4.4) must not hand that copy the new tokens.
describe('§7 password change: a copy of this session taken before the change gets nothing', () => {
  it('cookie mode: the copied cookies replayed within the grace answer 401 without tokens; the changer goes on', async () => {
    const clock = startFakeClock()
    const { user, browser } = await browserSignedIn()
    const copy = copyOf(browser)
    clock.advance(60)
    expect((await changeInBrowser(browser, user.password)).status).toBe(200)
    clock.advance(5)
    const replay = await copy.call('POST', '/api/auth/refresh')
    await expectProblem(replay, 401, 'REFRESH_TOKEN_INVALID')
    await expectNoTokens(replay)
    expect(copy.cookies.has('njjwt-rt')).toBe(false)

    expect((await browser.call('GET', '/api/me', { gate: true })).status).toBe(200)
    clock.advance(15 * 60)
    expect((await browser.call('POST', '/api/auth/refresh')).status).toBe(200)
    expect((await browser.call('GET', '/api/me', { gate: true })).status).toBe(200)
  })

  it('bearer: the old refresh token replayed within the grace from another device answers 401 and does not end the changer’s session', async () => {
    const clock = startFakeClock()
    const { user, cli } = await personWithThreeSessions()
    const old = cli.refreshToken
    clock.advance(60)
    const body = await json<Tokens>(await changePassword(cli, user.password))
    Object.assign(cli, { accessToken: body.accessToken, refreshToken: body.refreshToken })
    clock.advance(5)
    const replay = await cli.refresh({ refreshToken: old, deviceId: 'thief-device-0123456789' })
    await expectProblem(replay, 401, 'REFRESH_TOKEN_INVALID')
    await expectNoTokens(replay)

    expect((await cli.get('/api/me')).status).toBe(200)
    clock.advance(15 * 60)
    expect((await cli.refresh()).status).toBe(200)
    expect((await cli.get('/api/me')).status).toBe(200)
  })

  it('cookie mode: a copy replayed from another browser within the grace cannot end the changer’s session either', async () => {
    const clock = startFakeClock()
    const { user, browser, sid } = await browserSignedIn()
    const copy = copyOf(browser, connectingFrom('198.51.100.66', { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'accept-language': 'en' }))
    copy.cookies.delete('njjwt-did')
    clock.advance(60)
    expect((await changeInBrowser(browser, user.password)).status).toBe(200)
    clock.advance(5)
    await expectProblem(await copy.call('POST', '/api/auth/refresh'), 401, 'REFRESH_TOKEN_INVALID')
    const [row] = await app.db.select().from(sessions).where(eq(sessions.id, sid))
    expect(row!.revokedAt).toBeNull()
    expect((await browser.call('GET', '/api/me', { gate: true })).status).toBe(200)
  })

  it('within the grace it is a plain 401 and an audited replay; after the grace the copy is ordinary reuse and ends the session (§4.4)', async () => {
    const clock = startFakeClock()
    const { user, browser, sid } = await browserSignedIn()
    const copy = copyOf(browser)
    const later = copyOf(browser)
    clock.advance(60)
    expect((await changeInBrowser(browser, user.password)).status).toBe(200)
    clock.advance(10)
    await expectProblem(await copy.call('POST', '/api/auth/refresh'), 401, 'REFRESH_TOKEN_INVALID')
    const replays = await app.db.select().from(auditEvents).where(and(eq(auditEvents.sessionId, sid), eq(auditEvents.event, 'refresh_reuse_detected')))
    expect(replays).toMatchObject([{ tokenType: 'refresh', detail: { sessionRevoked: false } }])
    expect((await browser.call('GET', '/api/me', { gate: true })).status).toBe(200)

    clock.advance(1)
    await expectProblem(await later.call('POST', '/api/auth/refresh'), 401, 'REFRESH_TOKEN_REUSED')
    await expectProblem(await browser.call('GET', '/api/me', { gate: true }), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('a copy that rotated the session while the change was under way: its new tokens die with the change too', async () => {
    const clock = startFakeClock()
    const { user, cli } = await personWithThreeSessions()
    const copy = new BearerClient(cli.headers)
    Object.assign(copy, { refreshToken: cli.refreshToken, deviceId: cli.deviceId })
    clock.advance(60)
    // The password route has read the session, and is hashing the new password, when the copy refreshes.
    const hash = passwords.hashPassword
    const during = vi.spyOn(passwords, 'hashPassword').mockImplementationOnce(async (...args) => {
      expect((await copy.refresh()).status).toBe(200)
      return hash(...args)
    })
    const result = await json<Tokens>(await changePassword(cli, user.password))
    expect(during).toHaveBeenCalledTimes(1)

    await expectProblem(await copy.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await copy.refresh(), 401, 'REFRESH_TOKEN_INVALID')
    Object.assign(cli, { accessToken: result.accessToken, refreshToken: result.refreshToken })
    expect((await cli.get('/api/me')).status).toBe(200)
    clock.advance(15 * 60)
    expect((await cli.refresh()).status).toBe(200)
  })
})

describe('§7 password change: what it refuses', () => {
  it('a wrong current password is 400 VALIDATION_FAILED on currentPassword, and nothing is changed or revoked', async () => {
    const { user, cli, phone } = await personWithThreeSessions()
    const body = await expectProblem(await changePassword(cli, 'not-my-password'), 400, 'VALIDATION_FAILED')
    expect(Object.keys(body.errors!)).toEqual(['currentPassword'])
    expect((await phone.get('/api/me')).status).toBe(200)
    expect((await cli.get('/api/me')).status).toBe(200)
    expect((await login(user.email, user.password)).status).toBe(200)
  })

  it('a new password under 10 characters is 400 on newPassword', async () => {
    const { user, cli } = await personWithThreeSessions()
    const body = await expectProblem(await changePassword(cli, user.password, 'short'), 400, 'VALIDATION_FAILED')
    expect(Object.keys(body.errors!)).toEqual(['newPassword'])
  })

  it('guessing the current password is rate limited like signing in: the sixth wrong guess is 429', async () => {
    startFakeClock()
    const { user, cli } = await personWithThreeSessions()
    for (let i = 0; i < 5; i++) await expectProblem(await changePassword(cli, `guess-${i}`), 400, 'VALIDATION_FAILED')
    const locked = await changePassword(cli, user.password)
    await expectProblem(locked, 429, 'RATE_LIMITED')
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('guesses of the current password sent in parallel cannot exceed that budget', async () => {
    startFakeClock()
    const { cli } = await personWithThreeSessions()
    const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) => changePassword(cli, `parallel-${i}`)))).map((r) => r.status)
    expect(statuses.filter((s) => s === 400).length, `statuses: ${statuses.join(',')}`).toBeLessThanOrEqual(5)
  })

  it('a revoked session cannot change the password', async () => {
    const { user, cli, phone } = await personWithThreeSessions()
    await phone.call('POST', '/api/auth/sessions/revoke-others')
    await expectProblem(await changePassword(cli, user.password), 401, 'ACCESS_TOKEN_REVOKED')
    expect((await login(user.email, user.password)).status).toBe(200)
  })

  it('without a signed-in caller it is 401', async () => {
    await expectProblem(await new TestClient().call('POST', '/api/auth/password', { body: { currentPassword: 'x', newPassword: NEW_PASSWORD } }), 401, 'UNAUTHENTICATED')
  })
})

describe('§7 passwords at rest and at sign-in', () => {
  it('are stored as argon2id with OWASP parameters (m=19 MiB, t=2, p=1) and a per-user salt, never in clear (decision 019)', async () => {
    const register = (email: string) => new TestClient().call('POST', '/api/auth/register', { body: { email, password: 'same-password-twice' } })
    await register('salted-one@example.test')
    await register('salted-two@example.test')
    const rows = await app.db.select().from(users)
    const hashes = rows.filter((r) => r.email.startsWith('salted-')).map((r) => r.passwordHash)
    expect(hashes).toHaveLength(2)
    for (const hash of hashes) {
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[\w+/]{22}\$[\w+/]{43}$/)
      expect(hash).not.toContain('same-password-twice')
    }
    expect(hashes[0]).not.toBe(hashes[1])
  })

  it('a wrong password and an unknown email take about the same time (no account discovery by timing)', async () => {
    const email = 'timed@example.test'
    await new TestClient().call('POST', '/api/auth/register', { body: { email, password: 'timed-password-1' } })
    const time = async (address: string) => {
      const started = performance.now()
      await login(address, 'wrong-password-here', '192.0.2.48')
      return performance.now() - started
    }
    await time('warm-up@example.test')
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 3; i++) {
      known.push(await time(email))
      unknown.push(await time(`nobody-${i}@example.test`))
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!
    // Without the dummy hash an unknown email would answer in ~1 ms against hundreds for a real check.
    expect(median(unknown) / median(known)).toBeGreaterThan(0.3)
    expect(median(known) / median(unknown)).toBeGreaterThan(0.3)
  })
})
