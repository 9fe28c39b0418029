import { asc, eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { auditEvents } from '@/lib/store/schema'
import { BearerClient, CLI_HEADERS, TestClient, connectingFrom, expectProblem, json, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §5 with the policies the other way round: AUTH_UA_POLICY=flag, AUTH_IP_POLICY=block.
const app = setupTestApp({ AUTH_UA_POLICY: 'flag', AUTH_IP_POLICY: 'block', AUTH_TRUST_PROXY: '' })

const HOME = '192.0.2.20'
const FIREFOX = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'accept-language': 'en' }

type SessionItem = { id: string; userAgent: string; deviceLabel: string; flags: string[] }

async function auditOf(userId: string) {
  return app.db.select().from(auditEvents).where(eq(auditEvents.userId, userId)).orderBy(asc(auditEvents.id))
}

async function browserSignedIn() {
  const user = await createUser(app.db)
  const browser = new TestClient(connectingFrom(HOME))
  expect((await signIn(browser, user.email, user.password)).response.status).toBe(200)
  return { user, browser, sid: decodeJwt(browser.cookies.get('njjwt-rt')!).sid as string }
}

/** The same cookie jar, now sent by another browser or from another address. */
function sameCookies(browser: TestClient, headers: Record<string, string>) {
  const other = new TestClient(headers)
  for (const [name, value] of browser.cookies) other.cookies.set(name, value)
  return other
}

describe('§5 another browser under AUTH_UA_POLICY=flag', () => {
  it('the refresh goes on, anomaly_detected is audited, and the session carries a flag the person can see', async () => {
    const clock = startFakeClock()
    const { user, browser, sid } = await browserSignedIn()
    clock.advance(15 * 60)
    const changed = sameCookies(browser, connectingFrom(HOME, FIREFOX))
    const refreshed = await changed.call('POST', '/api/auth/refresh')
    expect(refreshed.status).toBe(200)
    expect((await json<{ rotated: boolean }>(refreshed)).rotated).toBe(true)
    expect((await changed.call('GET', '/api/me', { gate: true })).status).toBe(200)

    const anomaly = (await auditOf(user.id)).filter((e) => e.event === 'anomaly_detected')
    expect(anomaly).toHaveLength(1)
    expect(anomaly[0]).toMatchObject({ sessionId: sid, tokenType: 'refresh', ip: HOME, userAgent: FIREFOX['user-agent'], detail: { kind: 'user_agent', policy: 'flag' } })
    const { sessions } = await json<{ sessions: SessionItem[] }>(await changed.call('GET', '/api/auth/sessions'))
    const session = sessions.find((s) => s.id === sid)!
    expect(session.flags).toEqual(['user_agent_changed'])
    expect(session.userAgent).toBe(FIREFOX['user-agent'])
  })

  it('a device id mismatch is still a revocation whatever the user-agent policy', async () => {
    const { browser } = await browserSignedIn()
    const thief = new TestClient(connectingFrom(HOME))
    thief.cookies.set('njjwt-rt', browser.cookies.get('njjwt-rt')!)
    thief.cookies.set('njjwt-did', 'AnotherDeviceCookie000001')
    await expectProblem(await thief.call('POST', '/api/auth/refresh'), 401, 'DEVICE_MISMATCH')
    await expectProblem(await browser.call('GET', '/api/me', { gate: true }), 401, 'ACCESS_TOKEN_REVOKED')
  })
})

describe('§5 an IP change under AUTH_IP_POLICY=block', () => {
  it('a refresh from another address ends the session with SESSION_ANOMALY and audits ip_changed', async () => {
    const { user, browser, sid } = await browserSignedIn()
    const elsewhere = sameCookies(browser, connectingFrom('203.0.113.90'))
    await expectProblem(await elsewhere.call('POST', '/api/auth/refresh'), 401, 'SESSION_ANOMALY')
    await expectProblem(await browser.call('GET', '/api/me', { gate: true }), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await browser.call('POST', '/api/auth/refresh'), 401, 'SESSION_REVOKED')
    const trail = await auditOf(user.id)
    expect(trail.find((e) => e.event === 'ip_changed')).toMatchObject({ sessionId: sid, ip: '203.0.113.90', detail: { policy: 'block', from: HOME, to: '203.0.113.90' } })
    expect(trail.find((e) => e.event === 'session_revoked')).toMatchObject({ sessionId: sid, detail: { reason: 'anomaly' } })
  })

  it('bearer mode is bound to its network the same way', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient(connectingFrom(HOME, CLI_HEADERS))
    await cli.login(user.email, user.password)
    const elsewhere = new BearerClient(connectingFrom('203.0.113.91', CLI_HEADERS))
    await expectProblem(await elsewhere.refresh({ refreshToken: cli.refreshToken, deviceId: cli.deviceId }), 401, 'SESSION_ANOMALY')
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('forwarding headers that change from the same socket are not a move: nobody is signed out by a header', async () => {
    const clock = startFakeClock()
    const { user, browser } = await browserSignedIn()
    clock.advance(15 * 60)
    const spoofing = sameCookies(browser, { ...connectingFrom(HOME), 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.7', 'x-vercel-forwarded-for': '6.6.6.8' })
    expect((await spoofing.call('POST', '/api/auth/refresh')).status).toBe(200)
    expect((await auditOf(user.id)).map((e) => e.event)).not.toContain('ip_changed')
  })
})
