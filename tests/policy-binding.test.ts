import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { asc, eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { PEER_HEADER, clientIp } from '@/lib/http/client-info'
import { stampPeerAddresses } from '@/lib/http/peer-address'
import { auditEvents } from '@/lib/store/schema'
import { proxy } from '@/proxy'
import { BearerClient, CLI_HEADERS, TestClient, connectingFrom, dispatch, expectProblem, json, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §5 with its defaults written out: AUTH_UA_POLICY=block, AUTH_IP_POLICY=flag, no trusted
// proxy, not on Vercel. Every test is an attack on the binding of a session to its device,
// its browser and its network. (The opposite policies: tests/policy-binding-flag.test.ts.)
const app = setupTestApp({ AUTH_UA_POLICY: 'block', AUTH_IP_POLICY: 'flag', AUTH_TRUST_PROXY: '' })

const HOME = '192.0.2.10'
const ATTACKER = '198.51.100.66'
const OTHER_DEVICE = 'thief-device-0123456789'

async function auditOf(userId: string) {
  return app.db.select().from(auditEvents).where(eq(auditEvents.userId, userId)).orderBy(asc(auditEvents.id))
}

async function cliSignedIn(ip = HOME) {
  const user = await createUser(app.db)
  const cli = new BearerClient(connectingFrom(ip, CLI_HEADERS))
  expect((await cli.login(user.email, user.password)).status).toBe(200)
  return { user, cli, sid: decodeJwt(cli.refreshToken).sid as string }
}

async function browserSignedIn(ip = HOME) {
  const user = await createUser(app.db)
  const browser = new TestClient(connectingFrom(ip))
  expect((await signIn(browser, user.email, user.password)).response.status).toBe(200)
  return { user, browser, sid: decodeJwt(browser.cookies.get('njjwt-rt')!).sid as string }
}

/** The victim's session is dead: its live access token is refused at once and its refresh token too. */
async function expectSessionEnded(victim: BearerClient | TestClient) {
  if (victim instanceof BearerClient) {
    await expectProblem(await victim.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await victim.refresh(), 401, 'SESSION_REVOKED')
  } else {
    await expectProblem(await victim.call('GET', '/api/me', { gate: true }), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await victim.call('POST', '/api/auth/refresh'), 401, 'SESSION_REVOKED')
  }
}

function thiefBrowser(stolen: TestClient, options: { deviceCookie?: string | null; headers?: Record<string, string> } = {}) {
  const thief = new TestClient(options.headers ?? connectingFrom(ATTACKER))
  thief.cookies.set('njjwt-rt', stolen.cookies.get('njjwt-rt')!)
  if (options.deviceCookie !== null) thief.cookies.set('njjwt-did', options.deviceCookie ?? stolen.cookies.get('njjwt-did')!)
  return thief
}

describe('§5 a refresh token works only on the device it was issued to', () => {
  it('bearer: a stolen refresh token replayed with another X-Device-Id answers DEVICE_MISMATCH and ends the session', async () => {
    const { user, cli, sid } = await cliSignedIn()
    const stolen = cli.refreshToken
    const thief = new BearerClient(connectingFrom(ATTACKER, CLI_HEADERS))
    const attack = await thief.refresh({ refreshToken: stolen, deviceId: OTHER_DEVICE })
    await expectProblem(attack, 401, 'DEVICE_MISMATCH')
    expect(await attack.clone().text()).not.toMatch(/eyJ/)
    await expectSessionEnded(cli)

    const trail = await auditOf(user.id)
    const mismatch = trail.find((e) => e.event === 'device_mismatch')
    expect(mismatch).toMatchObject({ sessionId: sid, tokenType: 'refresh', jti: decodeJwt(stolen).jti, ip: ATTACKER })
    expect(trail.find((e) => e.event === 'session_revoked')).toMatchObject({ sessionId: sid, detail: { reason: 'device_mismatch' } })
  })

  it('bearer: a replay with no X-Device-Id header at all is a mismatch too', async () => {
    const { cli } = await cliSignedIn()
    const request = new Request('http://localhost:3000/api/auth/refresh', {
      method: 'POST',
      headers: { ...connectingFrom(ATTACKER, CLI_HEADERS), 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: cli.refreshToken }),
    })
    await expectProblem(await dispatch(request), 401, 'DEVICE_MISMATCH')
    await expectSessionEnded(cli)
  })

  it('bearer: after a mismatch the token is dead even when presented with the right device id', async () => {
    const { cli } = await cliSignedIn()
    const thief = new BearerClient(connectingFrom(ATTACKER, CLI_HEADERS))
    await expectProblem(await thief.refresh({ refreshToken: cli.refreshToken, deviceId: OTHER_DEVICE }), 401, 'DEVICE_MISMATCH')
    await expectProblem(await thief.refresh({ refreshToken: cli.refreshToken, deviceId: cli.deviceId }), 401, 'SESSION_REVOKED')
  })

  it('cookie mode: a refresh cookie carried into another browser (its own device cookie) answers DEVICE_MISMATCH and ends the session', async () => {
    const { user, browser, sid } = await browserSignedIn()
    const thief = thiefBrowser(browser, { deviceCookie: 'ThiefsOwnDeviceCookie0001' })
    const attack = await thief.call('POST', '/api/auth/refresh')
    await expectProblem(attack, 401, 'DEVICE_MISMATCH')
    // The thief's browser is told to drop the dead cookies; it got no new ones.
    expect(attack.headers.getSetCookie().filter((c) => /^njjwt-(at|rt)=;/.test(c))).toHaveLength(2)
    await expectSessionEnded(browser)
    expect((await auditOf(user.id)).filter((e) => e.event === 'device_mismatch').map((e) => e.sessionId)).toEqual([sid])
  })

  it('cookie mode: a refresh cookie without any device cookie is a mismatch too', async () => {
    const { browser } = await browserSignedIn()
    await expectProblem(await thiefBrowser(browser, { deviceCookie: null }).call('POST', '/api/auth/refresh'), 401, 'DEVICE_MISMATCH')
    await expectSessionEnded(browser)
  })

  it("cookie mode: the gate's refresh during a page navigation applies the same rule", async () => {
    const clock = startFakeClock()
    const { browser } = await browserSignedIn()
    clock.advance(15 * 60 + 11) // the victim's access token has expired: the gate would refresh
    const thief = thiefBrowser(browser, { deviceCookie: 'ThiefsOwnDeviceCookie0002' })
    const page = await proxy(new NextRequest(thief.request('GET', '/dashboard', { headers: { accept: 'text/html' } })))
    expect(page.status).toBe(307)
    expect(new URL(page.headers.get('location')!).pathname).toBe('/login')
    expect(page.headers.getSetCookie().some((c) => c.startsWith('njjwt-at=ey'))).toBe(false)
    await expectProblem(await browser.call('POST', '/api/auth/refresh'), 401, 'SESSION_REVOKED')
  })
})

describe('§5 another browser under AUTH_UA_POLICY=block', () => {
  it('bearer: the token and the device id stolen, presented by another client: SESSION_ANOMALY, session revoked, access token refused', async () => {
    const { user, cli, sid } = await cliSignedIn()
    const thief = new BearerClient(connectingFrom(HOME, { 'user-agent': 'curl/8.5.0', 'accept-language': 'en' }))
    await expectProblem(await thief.refresh({ refreshToken: cli.refreshToken, deviceId: cli.deviceId }), 401, 'SESSION_ANOMALY')
    await expectSessionEnded(cli)
    const trail = await auditOf(user.id)
    expect(trail.find((e) => e.event === 'anomaly_detected')).toMatchObject({ sessionId: sid, tokenType: 'refresh', detail: { kind: 'user_agent', policy: 'block' } })
    expect(trail.find((e) => e.event === 'session_revoked')).toMatchObject({ sessionId: sid, detail: { reason: 'anomaly' } })
  })

  it('cookie mode: refresh and device cookies both copied into a Firefox: SESSION_ANOMALY and the Chrome session ends', async () => {
    const { browser } = await browserSignedIn()
    const firefox = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'accept-language': 'en' }
    const thief = thiefBrowser(browser, { headers: connectingFrom(HOME, firefox) })
    await expectProblem(await thief.call('POST', '/api/auth/refresh'), 401, 'SESSION_ANOMALY')
    await expectSessionEnded(browser)
  })

  it.each([
    ['accept-language', { 'accept-language': 'fr-FR' }],
    ['sec-ch-ua-platform', { 'sec-ch-ua-platform': '"Windows"' }],
  ])('the fingerprint covers %s as well: a change of it alone is an anomaly', async (_name, change) => {
    const { browser } = await browserSignedIn()
    const thief = thiefBrowser(browser, { headers: { ...connectingFrom(HOME), ...change } })
    await expectProblem(await thief.call('POST', '/api/auth/refresh'), 401, 'SESSION_ANOMALY')
    await expectSessionEnded(browser)
  })

  it('the same browser refreshing again and again is never an anomaly', async () => {
    const clock = startFakeClock()
    const { user, browser } = await browserSignedIn()
    for (let i = 0; i < 3; i++) {
      clock.advance(15 * 60)
      const refreshed = await browser.call('POST', '/api/auth/refresh')
      expect(refreshed.status).toBe(200)
    }
    expect((await browser.call('GET', '/api/me', { gate: true })).status).toBe(200)
    expect((await auditOf(user.id)).map((e) => e.event)).not.toContain('anomaly_detected')
  })
})

describe('§5 an IP change under AUTH_IP_POLICY=flag', () => {
  it('the refresh goes on, ip_changed is audited with both addresses, and the session shows the flag and the new address', async () => {
    const clock = startFakeClock()
    const { user, cli, sid } = await cliSignedIn(HOME)
    clock.advance(15 * 60)
    const travelling = new BearerClient(connectingFrom('203.0.113.50', CLI_HEADERS))
    Object.assign(travelling, { accessToken: cli.accessToken, refreshToken: cli.refreshToken, deviceId: cli.deviceId })
    const refreshed = await travelling.refresh()
    expect(refreshed.status).toBe(200)
    expect((await travelling.get('/api/me')).status).toBe(200)

    const changed = (await auditOf(user.id)).filter((e) => e.event === 'ip_changed')
    expect(changed).toHaveLength(1)
    expect(changed[0]).toMatchObject({ sessionId: sid, tokenType: 'refresh', ip: '203.0.113.50', detail: { policy: 'flag', from: HOME, to: '203.0.113.50' } })
    const { sessions } = await json<{ sessions: Array<{ id: string; ip: string; flags: string[] }> }>(await travelling.call('GET', '/api/auth/sessions'))
    expect(sessions.find((s) => s.id === sid)).toMatchObject({ ip: '203.0.113.50', flags: ['ip_changed'] })
  })
})

describe('§5 client IP: forwarding headers written by the client are not trusted (no trusted proxy, not on Vercel)', () => {
  const spoofed = { 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.7', 'x-vercel-forwarded-for': '6.6.6.8' }

  it('X-Forwarded-For, X-Real-IP and x-vercel-forwarded-for cannot set the address recorded for the session and the audit log', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient({ ...connectingFrom(HOME, CLI_HEADERS), ...spoofed })
    expect((await cli.login(user.email, user.password)).status).toBe(200)
    const { sessions } = await json<{ sessions: Array<{ ip: string }> }>(await cli.call('GET', '/api/auth/sessions'))
    expect(sessions.map((s) => s.ip)).toEqual([HOME])
    const login = (await auditOf(user.id)).find((e) => e.event === 'login_succeeded')
    expect(login?.ip).toBe(HOME)
    expect(JSON.stringify(await auditOf(user.id))).not.toMatch(/6\.6\.6\./)
  })

  it('from the same socket, new forwarding headers are no IP change; from another socket, claiming the old address hides nothing', async () => {
    const clock = startFakeClock()
    const { user, cli, sid } = await cliSignedIn(HOME)
    clock.advance(15 * 60)
    const sameSocket = new BearerClient({ ...connectingFrom(HOME, CLI_HEADERS), ...spoofed })
    Object.assign(sameSocket, { refreshToken: cli.refreshToken, deviceId: cli.deviceId })
    expect((await sameSocket.refresh()).status).toBe(200)
    expect((await auditOf(user.id)).map((e) => e.event)).not.toContain('ip_changed')

    clock.advance(15 * 60)
    const moved = new BearerClient({ ...connectingFrom('203.0.113.77', CLI_HEADERS), 'x-forwarded-for': HOME, 'x-real-ip': HOME, 'x-vercel-forwarded-for': HOME })
    Object.assign(moved, { refreshToken: sameSocket.refreshToken, deviceId: cli.deviceId })
    expect((await moved.refresh()).status).toBe(200)
    expect((await auditOf(user.id)).filter((e) => e.event === 'ip_changed')).toMatchObject([{ sessionId: sid, detail: { from: HOME, to: '203.0.113.77' } }])
  })

  it('in a running server the socket address is stamped over whatever the client sent in the peer header', async () => {
    stampPeerAddresses()
    const server = http.createServer((request, response) => {
      const headers = new Headers()
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value)
      response.end(JSON.stringify({ ip: clientIp(headers) }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: '6.6.6.6', ...spoofed } })
      expect(await response.json()).toEqual({ ip: '127.0.0.1' })
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
