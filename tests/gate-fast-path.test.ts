import { NextRequest } from 'next/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { GATE_VERDICT_HEADER, acceptsGateVerdict, gateVerdict } from '@/lib/auth/gate-verdict'
import { getKeySet } from '@/lib/auth/keys'
import * as tokens from '@/lib/auth/tokens'
import { verifyAccessToken } from '@/lib/auth/verified-tokens'
import { getConfig } from '@/lib/config'
import type { KeyValueStore } from '@/lib/store/kv'
import { proxy } from '@/proxy'
import { BearerClient, TestClient, expectProblem, forwardedAsNextDoes, signIn } from './support/client'
import { createUser, setupTestApp, startFakeClock } from './support/harness'
import { setKvForTests } from './support/seams'

// Issue 11, the fast path: a protected API call through the gate and its handler verifies the
// token's signature once per process and reads the denylist once per request, and neither
// shortcut lets a revoked or forged token through.
const app = setupTestApp()

/** Counts the KV calls (the denylist reads) while `run` runs. */
async function countingKv<T>(run: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
  const calls: string[] = []
  const counted = new Proxy(app.kv, {
    get: (target, prop: keyof KeyValueStore) => (...args: never[]) => {
      calls.push(prop)
      return (target[prop] as (...a: never[]) => unknown)(...args)
    },
  })
  setKvForTests(counted)
  try {
    return { result: await run(), calls }
  } finally {
    setKvForTests(app.kv)
  }
}

async function signedInBrowser() {
  const user = await createUser(app.db)
  const browser = new TestClient()
  expect((await signIn(browser, user.email, user.password)).response.status).toBe(200)
  return { user, browser }
}

/** The gate's answer and the request as Next would hand it to the route handler. */
async function throughGate(client: TestClient, method: string, path: string, headers: Record<string, string> = {}) {
  const gated = await proxy(new NextRequest(client.request(method, path, { headers })))
  expect(gated.headers.get('x-middleware-next')).toBe('1')
  return forwardedAsNextDoes(gated, client.request(method, path, { headers }))
}

afterEach(() => vi.restoreAllMocks())

describe('one denylist read per protected API call', () => {
  it('the gate and the handler together read the KV once, in cookie and in bearer mode', async () => {
    const { browser } = await signedInBrowser()
    const { result, calls } = await countingKv(() => browser.call('GET', '/api/me', { gate: true }))
    expect(result.status).toBe(200)
    expect(calls).toEqual(['getMany'])

    const cli = new BearerClient()
    const user = await createUser(app.db)
    await cli.login(user.email, user.password)
    const counted = await countingKv(() => cli.get('/api/admin/users'))
    await expectProblem(counted.result, 403, 'FORBIDDEN')
    expect(counted.calls).toEqual(['getMany'])
  })

  it('without the gate (a client reaching the handler directly) the handler reads the denylist itself', async () => {
    const { browser } = await signedInBrowser()
    const { result, calls } = await countingKv(() => browser.call('GET', '/api/me'))
    expect(result.status).toBe(200)
    expect(calls).toEqual(['getMany'])
  })

  it('a verdict a client sends is overwritten by the gate, and one sent past the gate does not spare the check', async () => {
    const { browser } = await signedInBrowser()
    const forged = `${Date.now()}.${'A'.repeat(43)}`
    const forwarded = await throughGate(browser, 'GET', '/api/me', { [GATE_VERDICT_HEADER]: forged })
    expect(forwarded.headers.get(GATE_VERDICT_HEADER)).not.toBe(forged)
    const direct = await countingKv(() => browser.call('GET', '/api/me', { headers: { [GATE_VERDICT_HEADER]: forged } }))
    expect(direct.result.status).toBe(200)
    expect(direct.calls).toEqual(['getMany'])
  })

  it('a verdict counts only for its own token, method and path, and for one second: a revoked token is refused otherwise', async () => {
    const clock = startFakeClock()
    const { browser } = await signedInBrowser()
    const { browser: someoneElse } = await signedInBrowser()
    const verdictOf = async (client: TestClient, method: string, path: string) => (await throughGate(client, method, path)).headers.get(GATE_VERDICT_HEADER)!
    const forMe = await verdictOf(browser, 'GET', '/api/me')
    const forSessions = await verdictOf(browser, 'GET', '/api/nowhere')
    const forOtherMethod = await verdictOf(browser, 'POST', '/api/me')
    const othersForMe = await verdictOf(someoneElse, 'GET', '/api/me')
    expect(forMe).toMatch(/^\d+\.[\w-]{43}$/)

    const stolen = new TestClient()
    for (const [name, value] of browser.cookies) stolen.cookies.set(name, value)
    expect((await browser.call('POST', '/api/auth/logout', {})).status).toBeLessThan(300)

    const me = (verdict: string) => stolen.call('GET', '/api/me', { headers: { [GATE_VERDICT_HEADER]: verdict } })
    for (const verdict of [forSessions, forOtherMethod, othersForMe, 'garbage', `${Date.now()}.`]) await expectProblem(await me(verdict), 401, 'ACCESS_TOKEN_REVOKED')
    // The genuine verdict of this very request spares the read: it is what makes the fast path one
    // read, and covers only a request the gate let through a moment ago. A second later it is spent.
    expect((await me(forMe)).status).toBe(200)
    clock.advance(2)
    await expectProblem(await me(forMe), 401, 'ACCESS_TOKEN_REVOKED')
  })
})

describe('the verdict itself', () => {
  it('is bound by HMAC to jti, method, path and time, and verifies under any configured key', async () => {
    const keys = await getKeySet()
    const request = { method: 'GET', path: '/api/me' }
    const now = Date.parse('2026-12-02T08:00:00Z')
    const verdict = gateVerdict(keys, 'jti-1', request, now)
    expect(acceptsGateVerdict(keys, verdict, 'jti-1', request, now + 1_000)).toBe(true)
    expect(acceptsGateVerdict(keys, verdict, 'jti-1', request, now + 1_001)).toBe(false)
    expect(acceptsGateVerdict(keys, verdict, 'jti-1', request, now - 1_001)).toBe(false)
    expect(acceptsGateVerdict(keys, verdict, 'jti-2', request, now)).toBe(false)
    expect(acceptsGateVerdict(keys, verdict, 'jti-1', { method: 'POST', path: '/api/me' }, now)).toBe(false)
    expect(acceptsGateVerdict(keys, verdict, 'jti-1', { method: 'GET', path: '/api/me/' }, now)).toBe(false)
    // The time is inside the MAC: moving it forward breaks it.
    const [, sig] = verdict.split('.')
    expect(acceptsGateVerdict(keys, `${now + 500}.${sig}`, 'jti-1', request, now + 600)).toBe(false)
    // A verdict made under a key of another deployment is worthless here.
    const foreign = gateVerdict({ gateKeys: [Buffer.alloc(32, 7)] }, 'jti-1', request, now)
    expect(acceptsGateVerdict(keys, foreign, 'jti-1', request, now)).toBe(false)
    // Key rotation: a verdict under an older key still verifies while that key is configured.
    expect(acceptsGateVerdict({ gateKeys: [Buffer.alloc(32, 7), ...keys.gateKeys] }, verdict, 'jti-1', request, now)).toBe(true)
  })
})

describe('each distinct access token is verified once per process', () => {
  it('four checks of one token (gate and handler, two requests) verify its signature once', async () => {
    const { browser } = await signedInBrowser()
    const verify = vi.spyOn(tokens, 'verifyToken')
    expect((await browser.call('GET', '/api/me', { gate: true })).status).toBe(200)
    await expectProblem(await browser.call('GET', '/api/nowhere', { gate: true }), 404, 'NOT_FOUND')
    expect(verify.mock.calls.filter(([type]) => type === 'access')).toHaveLength(1)
  })

  it('a cached token expires by the request clock at exp + AUTH_EXPIRY_GRACE, exactly as a fresh verification would', async () => {
    const clock = startFakeClock()
    const cli = new BearerClient()
    const user = await createUser(app.db)
    await cli.login(user.email, user.password)
    expect((await cli.get('/api/me')).status).toBe(200)
    const { ttl } = getConfig()
    clock.advance(ttl.access + ttl.expiryGrace - 1)
    expect((await cli.get('/api/me')).status).toBe(200)
    clock.advance(2)
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_EXPIRED')
  })

  it('a token is cached only after it verified: a forged one is refused every time', async () => {
    const { browser } = await signedInBrowser()
    const cookie = [...browser.cookies].find(([name]) => name.endsWith('at'))!
    const [h, p, s] = cookie[1].split('.')
    const flipped = `${h}.${p}.${s!.slice(0, -2)}${s!.endsWith('AA') ? 'BA' : 'AA'}`
    browser.cookies.set(cookie[0], flipped)
    for (let i = 0; i < 3; i++) await expectProblem(await browser.call('GET', '/api/me', { gate: true }), 401, 'ACCESS_TOKEN_INVALID')
  })

  it('is keyed by issuer and audience too', async () => {
    const keys = await getKeySet()
    const cli = new BearerClient()
    const user = await createUser(app.db)
    await cli.login(user.email, user.password)
    const { issuer, audience } = getConfig()
    const now = Date.now()
    expect((await verifyAccessToken(cli.accessToken!, keys, { issuer, audience, now, graceSeconds: 10 })).ok).toBe(true)
    expect(await verifyAccessToken(cli.accessToken!, keys, { issuer: 'https://elsewhere.example', audience, now, graceSeconds: 10 })).toMatchObject({ ok: false })
    expect(await verifyAccessToken(cli.accessToken!, keys, { issuer, audience: 'other-audience', now, graceSeconds: 10 })).toMatchObject({ ok: false })
  })

  it('holds at most 10,000 tokens: the oldest is forgotten and verified again', async () => {
    const keys = await getKeySet()
    const { issuer, audience } = getConfig()
    const now = Date.now()
    const options = { issuer, audience, now, graceSeconds: 10 }
    const mint = (i: number) => tokens.signAccessToken({ sub: `u${i}`, sid: `s${i}`, now, ttl: 900, role: 'user', permissions: [] }, keys.signing, { issuer, audience })
    const first = (await mint(0)).token
    await verifyAccessToken(first, keys, options)
    for (let i = 1; i <= 10_000; i++) await verifyAccessToken((await mint(i)).token, keys, options)
    const verify = vi.spyOn(tokens, 'verifyToken')
    expect((await verifyAccessToken(first, keys, options)).ok).toBe(true)
    expect(verify).toHaveBeenCalledTimes(1)
  })
})
