import { eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import * as timelineRoute from '@/app/api/auth/session/timeline/route'
import { sha256 } from '@/lib/ids'
import { refreshTokens, sessions } from '@/lib/store/schema'
import { BearerClient, CLI_HEADERS, TestClient, connectingFrom, expectProblem, json, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §9 dashboard token timeline: GET /api/auth/session/timeline lists the caller's current
// session's sign-in, refreshes and flags from the audit log, newest first, and nothing secret.
// The route is new, so the handler is called directly (tests/support/client.ts has no entry for it).
const app = setupTestApp()

const PATH = '/api/auth/session/timeline'
const HOME = connectingFrom('192.0.2.81')
const CAFE = connectingFrom('198.51.100.81')

type Entry = { id: string; at: string; event: string; jti: string | null; ip: string | null }

async function send(request: Request): Promise<Response> {
  const handler = timelineRoute[request.method as 'GET' | 'POST']
  return handler(request, undefined)
}

async function timelineOf(client: TestClient | BearerClient): Promise<{ raw: string; events: Entry[] }> {
  const request = client instanceof TestClient ? client.request('GET', PATH) : client.request('GET', PATH, undefined, { authorization: `Bearer ${client.accessToken}` })
  const response = await send(request)
  expect(response.status).toBe(200)
  expect(response.headers.get('cache-control')).toBe('private, no-store')
  const raw = await response.text()
  const body = JSON.parse(raw) as { events: Entry[] }
  expect(Object.keys(body)).toEqual(['events'])
  return { raw, events: body.events }
}

const accessJti = (client: TestClient) => decodeJwt(client.cookies.get('njjwt-at')!).jti as string
const sessionId = (client: TestClient) => decodeJwt(client.cookies.get('njjwt-rt')!).sid as string

async function refresh(client: TestClient) {
  const response = await client.call('POST', '/api/auth/refresh')
  expect(await json(response)).toMatchObject({ rotated: true })
}

describe('§9 token timeline: sign-in and each refresh of this session, newest first', () => {
  it('lists the sign-in and two refreshes, each with its time, IP and the new access token’s jti', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const browser = new TestClient(HOME)
    await signIn(browser, user.email, user.password)
    const signInJti = accessJti(browser)
    clock.advance(15 * 60)
    await refresh(browser)
    const firstJti = accessJti(browser)
    clock.advance(15 * 60)
    await refresh(browser)
    const secondJti = accessJti(browser)

    const { events } = await timelineOf(browser)
    expect(events.map(({ id: _id, ...rest }) => rest)).toEqual([
      { at: '2026-01-05T09:30:00.000Z', event: 'token_refreshed', jti: secondJti, ip: '192.0.2.81' },
      { at: '2026-01-05T09:15:00.000Z', event: 'token_refreshed', jti: firstJti, ip: '192.0.2.81' },
      { at: '2026-01-05T09:00:00.000Z', event: 'login_succeeded', jti: signInJti, ip: '192.0.2.81' },
    ])
    expect(new Set([signInJti, firstJti, secondJti]).size).toBe(3)
    // Newest first by the audit row's id too, and ids are unique list keys.
    expect(events.map((e) => Number(e.id))).toEqual(events.map((e) => Number(e.id)).sort((a, b) => b - a))
  })

  it('a bearer client sees its own session the same way', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const cli = new BearerClient(connectingFrom('192.0.2.82', CLI_HEADERS))
    await cli.login(user.email, user.password)
    const jtis = [decodeJwt(cli.accessToken).jti]
    for (let i = 0; i < 2; i++) {
      clock.advance(60)
      expect((await cli.refresh()).status).toBe(200)
      jtis.unshift(decodeJwt(cli.accessToken).jti)
    }
    const { events } = await timelineOf(cli)
    expect(events.map((e) => [e.event, e.jti])).toEqual([
      ['token_refreshed', jtis[0]],
      ['token_refreshed', jtis[1]],
      ['login_succeeded', jtis[2]],
    ])
  })

  it('a refresh from a new network shows the ip_changed flag (no jti) under the refresh it came with', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const browser = new TestClient(HOME)
    await signIn(browser, user.email, user.password)
    clock.advance(15 * 60)
    const travelling = new TestClient(CAFE)
    for (const [name, value] of browser.cookies) travelling.cookies.set(name, value)
    await refresh(travelling)
    const { events } = await timelineOf(travelling)
    expect(events.map(({ event, jti, ip }) => ({ event, jti, ip }))).toEqual([
      { event: 'token_refreshed', jti: accessJti(travelling), ip: '198.51.100.81' },
      { event: 'ip_changed', jti: null, ip: '198.51.100.81' },
      { event: 'login_succeeded', jti: accessJti(browser), ip: '192.0.2.81' },
    ])
  })

  it('a password change rotates this session: its new access token is on the timeline', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const browser = new TestClient(HOME)
    await signIn(browser, user.email, user.password)
    clock.advance(60)
    const changed = await browser.call('POST', '/api/auth/password', { body: { currentPassword: user.password, newPassword: 'another-long-password' } })
    expect(changed.status).toBe(200)
    const { events } = await timelineOf(browser)
    expect(events.map((e) => [e.event, e.jti, e.at])).toEqual([
      ['password_changed', accessJti(browser), '2026-01-05T09:01:00.000Z'],
      ['login_succeeded', expect.any(String), '2026-01-05T09:00:00.000Z'],
    ])
    expect(events[1]!.jti).not.toBe(events[0]!.jti)
  })

  it('keeps the newest 20, each still matched with its own access token', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const browser = new TestClient(HOME)
    await signIn(browser, user.email, user.password)
    const jtis: string[] = []
    for (let i = 0; i < 21; i++) {
      clock.advance(15 * 60)
      await refresh(browser)
      jtis.unshift(accessJti(browser))
    }
    const { events } = await timelineOf(browser)
    expect(events).toHaveLength(20)
    expect(events.every((e) => e.event === 'token_refreshed')).toBe(true)
    expect(events.map((e) => e.jti)).toEqual(jtis.slice(0, 20))
  })
})

describe('§9 token timeline: only this session of this person', () => {
  it("another person's refreshes, and this person's other sessions, never appear", async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const stranger = await createUser(app.db)
    const laptop = new TestClient(HOME)
    const otherDevice = new TestClient(connectingFrom('192.0.2.83'))
    const strangers = new TestClient(connectingFrom('203.0.113.83'))
    await signIn(laptop, user.email, user.password)
    await signIn(otherDevice, user.email, user.password)
    await signIn(strangers, stranger.email, stranger.password)
    clock.advance(15 * 60)
    await refresh(strangers)
    await refresh(otherDevice)
    await refresh(laptop)

    const mine = await timelineOf(laptop)
    expect(mine.events.map((e) => e.event)).toEqual(['token_refreshed', 'login_succeeded'])
    expect(mine.events[0]!.jti).toBe(accessJti(laptop))
    expect(mine.events.every((e) => e.ip === '192.0.2.81')).toBe(true)
    for (const other of [otherDevice, strangers]) {
      expect(mine.raw).not.toContain(accessJti(other))
      expect(mine.raw).not.toContain(sessionId(other))
    }
    const theirs = await timelineOf(strangers)
    expect(theirs.events.map((e) => e.jti)).toEqual([accessJti(strangers), expect.any(String)])
    expect(theirs.raw).not.toContain(accessJti(laptop))
  })

  it('answers no token, hash, fingerprint or user agent: only {id, at, event, jti, ip}', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const user = await createUser(app.db)
    const browser = new TestClient(HOME)
    const seen = new Set<string>()
    const remember = () => browser.cookies.forEach((value) => seen.add(value))
    await signIn(browser, user.email, user.password)
    remember()
    for (let i = 0; i < 2; i++) {
      clock.advance(15 * 60)
      await refresh(browser)
      remember()
    }
    const sid = sessionId(browser)
    const [session] = await app.db.select().from(sessions).where(eq(sessions.id, sid))
    const stored = await app.db.select().from(refreshTokens).where(eq(refreshTokens.sessionId, sid))
    const secrets = [
      ...seen, // access, refresh and device-id cookie values
      ...[...seen].map(sha256),
      ...stored.map((row) => row.tokenHash),
      ...stored.flatMap((row) => (row.successorSealed ? [row.successorSealed] : [])),
      session!.fingerprintHash,
      session!.deviceId,
      session!.userAgent!,
    ]
    expect(stored.length).toBe(3)
    expect(seen.size).toBeGreaterThanOrEqual(7) // 3 access + 3 refresh tokens + the device id

    const { raw, events } = await timelineOf(browser)
    expect(events).toHaveLength(3)
    for (const secret of secrets) expect(raw).not.toContain(secret)
    for (const event of events) expect(Object.keys(event).sort()).toEqual(['at', 'event', 'id', 'ip', 'jti'])
  })
})

describe('§9 token timeline: edges', () => {
  it('is 401 UNAUTHENTICATED without a token, and ACCESS_TOKEN_REVOKED once the session ended', async () => {
    await expectProblem(await send(new TestClient().request('GET', PATH)), 401, 'UNAUTHENTICATED')
    const user = await createUser(app.db)
    const cli = new BearerClient(connectingFrom('192.0.2.84', CLI_HEADERS))
    await cli.login(user.email, user.password)
    expect((await timelineOf(cli)).events).toHaveLength(1)
    expect((await cli.call('POST', '/api/auth/logout')).status).toBe(200)
    await expectProblem(await send(cli.request('GET', PATH, undefined, { authorization: `Bearer ${cli.accessToken}` })), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('is 405 METHOD_NOT_ALLOWED for POST, with Allow: GET', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient(HOME)
    await signIn(browser, user.email, user.password)
    const response = await send(browser.request('POST', PATH, { body: {} }))
    await expectProblem(response, 405, 'METHOD_NOT_ALLOWED')
    expect(response.headers.get('allow')).toBe('GET')
  })
})
