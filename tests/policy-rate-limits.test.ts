import { and, asc, eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { auditEvents } from '@/lib/store/schema'
import { BearerClient, CLI_HEADERS, TestClient, connectingFrom, expectProblem, json } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §7 rate limits and §4.7, with small budgets set here (TEST_ENV's are generous): 5 login
// failures per email+IP and 12 attempts per IP per 15 min, 3 registrations per IP per hour, 5
// refreshes per IP per minute, one rotation per session per 30 s. Each test speaks from addresses
// of its own, so the budgets of one test never touch another's.
const app = setupTestApp({
  AUTH_LOGIN_LIMIT: '5',
  AUTH_LOGIN_IP_LIMIT: '12',
  AUTH_REGISTER_LIMIT: '3',
  AUTH_REFRESH_IP_LIMIT: '5',
  AUTH_REFRESH_MIN_INTERVAL: '30s',
  AUTH_IP_POLICY: 'flag',
  AUTH_TRUST_PROXY: '',
})

let lastOctet = 0
/** A fresh client address for each use (TEST-NET-3). */
const newAddress = () => `203.0.113.${++lastOctet}`
const SPOOFS: Array<Record<string, string>> = [
  { 'x-forwarded-for': '10.1.1.1' },
  { 'x-real-ip': '10.1.1.2' },
  { 'x-vercel-forwarded-for': '10.1.1.3' },
  { 'x-forwarded-for': '10.1.1.4, 10.1.1.5' },
]

function attempt(ip: string, email: string, password: string, headers: Record<string, string> = {}) {
  return new TestClient({ ...connectingFrom(ip), ...headers }).call('POST', '/api/auth/login', { body: { email, password } })
}

async function expectRateLimited(response: Response, maxRetryAfter: number) {
  await expectProblem(response, 429, 'RATE_LIMITED')
  const retryAfter = Number(response.headers.get('retry-after'))
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter)
  return retryAfter
}

async function rateLimitedAudit(ip: string) {
  return app.db.select().from(auditEvents).where(and(eq(auditEvents.event, 'rate_limited'), eq(auditEvents.ip, ip))).orderBy(asc(auditEvents.id))
}

describe('§7 login: AUTH_LOGIN_LIMIT failures per email and IP (brute force)', () => {
  it('five wrong passwords are answered; the sixth attempt is 429 RATE_LIMITED with Retry-After, and audited', async () => {
    startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const ip = newAddress()
    for (let i = 0; i < 5; i++) await expectProblem(await attempt(ip, user.email, `guess-${i}`), 401, 'INVALID_CREDENTIALS')
    await expectRateLimited(await attempt(ip, user.email, 'guess-5'), 15 * 60)
    const audited = await rateLimitedAudit(ip)
    expect(audited).toHaveLength(1)
    expect(audited[0]).toMatchObject({ detail: { limit: 'login_failures' } })
  })

  it('while locked, the right password is refused too; when the window ends it works', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const ip = newAddress()
    for (let i = 0; i < 5; i++) await attempt(ip, user.email, `guess-${i}`)
    const retryAfter = await expectRateLimited(await attempt(ip, user.email, user.password), 15 * 60)
    clock.advance(retryAfter)
    expect((await attempt(ip, user.email, user.password)).status).toBe(200)
  })

  it('the lock is per email and IP: the person signs in from another address, and other accounts from this one', async () => {
    startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const [victim, neighbour] = [await createUser(app.db), await createUser(app.db)]
    const ip = newAddress()
    for (let i = 0; i < 5; i++) await attempt(ip, victim.email, `guess-${i}`)
    await expectRateLimited(await attempt(ip, victim.email, victim.password), 15 * 60)
    expect((await attempt(newAddress(), victim.email, victim.password)).status).toBe(200)
    expect((await attempt(ip, neighbour.email, neighbour.password)).status).toBe(200)
  })

  it('a successful sign-in resets the failure count', async () => {
    startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const ip = newAddress()
    for (let i = 0; i < 4; i++) await expectProblem(await attempt(ip, user.email, `guess-${i}`), 401, 'INVALID_CREDENTIALS')
    expect((await attempt(ip, user.email, user.password)).status).toBe(200)
    for (let i = 0; i < 5; i++) await expectProblem(await attempt(ip, user.email, `again-${i}`), 401, 'INVALID_CREDENTIALS')
    await expectRateLimited(await attempt(ip, user.email, user.password), 15 * 60)
  })

  it('changing the case or padding of the email does not buy more guesses', async () => {
    startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const ip = newAddress()
    const spellings = [user.email, user.email.toUpperCase(), ` ${user.email}`, user.email.replace(/^./, (c) => c.toUpperCase()), `${user.email} `]
    for (const [i, email] of spellings.entries()) await expectProblem(await attempt(ip, email, `guess-${i}`), 401, 'INVALID_CREDENTIALS')
    await expectRateLimited(await attempt(ip, user.email.toUpperCase(), user.password), 15 * 60)
  })

  it('an unknown email is counted the same way (the lock does not reveal which accounts exist)', async () => {
    startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const ip = newAddress()
    for (let i = 0; i < 5; i++) await expectProblem(await attempt(ip, 'nobody-here@example.test', `guess-${i}`), 401, 'INVALID_CREDENTIALS')
    await expectRateLimited(await attempt(ip, 'nobody-here@example.test', 'guess-5'), 15 * 60)
  })

  it('guesses sent in parallel cannot exceed the budget: at most five are checked', async () => {
    startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const ip = newAddress()
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(ip, user.email, `parallel-guess-${i}`)))
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 401).length, `statuses: ${statuses.join(',')}`).toBeLessThanOrEqual(5)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5)
  })
})

describe('§7 login: AUTH_LOGIN_IP_LIMIT attempts per IP', () => {
  it('twelve attempts from one address on any accounts, then 429; another address is unaffected', async () => {
    startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const people = await Promise.all(Array.from({ length: 13 }, () => createUser(app.db)))
    const ip = newAddress()
    for (const person of people.slice(0, 12)) expect((await attempt(ip, person.email, person.password)).status).toBe(200)
    await expectRateLimited(await attempt(ip, people[12]!.email, people[12]!.password), 15 * 60)
    expect((await attempt(newAddress(), people[12]!.email, people[12]!.password)).status).toBe(200)
    expect((await rateLimitedAudit(ip)).map((e) => e.detail)).toEqual([{ limit: 'login_ip' }])
  })

  it('forwarding headers written by the client do not buy a fresh budget', async () => {
    startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const [user, ...sprayed] = await Promise.all(Array.from({ length: 4 }, () => createUser(app.db)))
    const ip = newAddress()
    for (let i = 0; i < 12; i++) {
      const response = await attempt(ip, sprayed[i % 3]!.email, 'wrong-password', SPOOFS[i % SPOOFS.length])
      expect(response.status).toBe(401)
    }
    for (const spoof of SPOOFS) await expectRateLimited(await attempt(ip, user!.email, user!.password, spoof), 15 * 60)
  })
})

describe('§7 registration: AUTH_REGISTER_LIMIT per IP per hour', () => {
  it('three sign-ups from one address, then 429 for an hour whatever the forwarding headers say; another address may sign up', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const ip = newAddress()
    const register = (email: string, from = ip, spoof: Record<string, string> = {}) =>
      new TestClient({ ...connectingFrom(from), ...spoof }).call('POST', '/api/auth/register', { body: { email, password: 'long-enough-pw' } })
    for (let i = 0; i < 3; i++) expect((await register(`signup-${i}-${ip}@example.test`)).status).toBe(201)
    for (const spoof of SPOOFS) await expectRateLimited(await register(`signup-x-${ip}@example.test`, ip, spoof), 3600)
    expect((await register(`signup-elsewhere-${ip}@example.test`, newAddress())).status).toBe(201)
    expect((await rateLimitedAudit(ip)).map((e) => e.detail)).toEqual(SPOOFS.map(() => ({ limit: 'register_ip' })))
    clock.advance(3600)
    expect((await register(`signup-later-${ip}@example.test`)).status).toBe(201)
  })
})

async function cliSignedIn(ip: string) {
  const user = await createUser(app.db)
  const cli = new BearerClient(connectingFrom(ip, CLI_HEADERS))
  expect((await cli.login(user.email, user.password)).status).toBe(200)
  return { user, cli }
}

describe('§4.7 refresh flooding: one rotation per session per AUTH_REFRESH_MIN_INTERVAL', () => {
  it('a session asking again and again rotates once; the rest are 429 with Retry-After counting down, and nothing is revoked', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T10:00:00Z'))
    const { user, cli } = await cliSignedIn(newAddress())
    expect((await cli.refresh()).status).toBe(200)
    const current = cli.refreshToken
    const waits: number[] = []
    for (let i = 0; i < 3; i++) {
      clock.advance(5)
      waits.push(await expectRateLimited(await cli.refresh(), 30))
    }
    expect(waits).toEqual([25, 20, 15])
    expect(cli.refreshToken).toBe(current)
    expect((await cli.get('/api/me')).status).toBe(200)
    clock.advance(15)
    expect((await cli.refresh()).status).toBe(200)
    const events = await app.db.select().from(auditEvents).where(and(eq(auditEvents.userId, user.id), eq(auditEvents.event, 'rate_limited')))
    expect(events.map((e) => e.detail)).toEqual(Array(3).fill({ limit: 'refresh_per_session' }))
    expect(events.every((e) => e.sessionId === decodeJwt(current).sid)).toBe(true)
  })
})

describe('§4.7 refresh flooding: AUTH_REFRESH_IP_LIMIT refreshes per IP per minute', () => {
  it('five sessions rotate from one address; the sixth rotation is 429 with Retry-After; another address is unaffected', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T11:00:00Z'))
    const ip = newAddress()
    const clients = []
    for (let i = 0; i < 6; i++) clients.push((await cliSignedIn(ip)).cli)
    clock.advance(15 * 60 + 5)
    for (const cli of clients.slice(0, 5)) expect((await cli.refresh()).status).toBe(200)
    const sixth = clients[5]!
    await expectRateLimited(await sixth.refresh(), 60)
    const audited = await rateLimitedAudit(ip)
    expect(audited).toHaveLength(1)
    expect(audited[0]).toMatchObject({ sessionId: decodeJwt(sixth.refreshToken).sid, tokenType: 'refresh', detail: { limit: 'refresh_ip' } })

    const elsewhere = new BearerClient(connectingFrom(newAddress(), CLI_HEADERS))
    Object.assign(elsewhere, { refreshToken: sixth.refreshToken, deviceId: sixth.deviceId })
    expect((await elsewhere.refresh()).status).toBe(200)
  })

  it('not-due answers and grace replays count toward the budget but are never refused; only rotations are', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T12:00:00Z'))
    const ip = newAddress()
    const { cli } = await cliSignedIn(ip)
    const { cli: other } = await cliSignedIn(ip)
    // 1: a rotation. 2-4: replays of the used token within the grace. 5-6: not-due answers.
    const used = cli.refreshToken
    expect((await cli.refresh()).status).toBe(200)
    for (let i = 0; i < 3; i++) {
      const replay = await cli.refresh({ refreshToken: used })
      expect(replay.status).toBe(200)
      expect((await json<{ refreshToken: string }>(replay)).refreshToken).toBe(cli.refreshToken)
    }
    for (let i = 0; i < 2; i++) {
      const notDue = await cli.refresh({ withAccess: true })
      expect(notDue.status).toBe(200)
      expect((await json<{ rotated: boolean }>(notDue)).rotated).toBe(false)
    }
    // The budget is spent (6 > 5): a replay still answers, a rotation does not.
    expect((await cli.refresh({ refreshToken: used })).status).toBe(200)
    await expectRateLimited(await other.refresh(), 60)
    clock.advance(60)
    expect((await other.refresh()).status).toBe(200)
  })

  it('forwarding headers written by the client do not buy a fresh refresh budget', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T13:00:00Z'))
    const ip = newAddress()
    const clients = []
    for (let i = 0; i < 6; i++) clients.push((await cliSignedIn(ip)).cli)
    clock.advance(15 * 60 + 5)
    for (const cli of clients.slice(0, 5)) expect((await cli.refresh()).status).toBe(200)
    for (const spoof of SPOOFS) {
      const spoofing = new BearerClient({ ...connectingFrom(ip, CLI_HEADERS), ...spoof })
      Object.assign(spoofing, { refreshToken: clients[5]!.refreshToken, deviceId: clients[5]!.deviceId })
      await expectRateLimited(await spoofing.refresh(), 60)
    }
  })
})
