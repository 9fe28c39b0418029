import { decodeJwt } from 'jose'
import { NextRequest } from 'next/server'
import { describe, expect, it, vi } from 'vitest'
import { markUserTokensStale } from '@/lib/auth/denylist'
import type { KeyValueStore } from '@/lib/store/kv'
import { setKvForTests } from './support/seams'
import { createUpstashKv } from '@/lib/store/kv-upstash'
import { proxy } from '@/proxy'
import { BearerClient, ORIGIN, TestClient, dispatch, json, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §6: the gate in proxy.ts.
const app = setupTestApp()

async function navigate(client: TestClient, path: string): Promise<Response> {
  const response = await proxy(new NextRequest(client.request('GET', path, { headers: { accept: 'text/html' } })))
  client.store(response)
  return response
}

const passed = (response: Response) => response.headers.get('x-middleware-next') === '1'

async function browserSignedIn(extra: Record<string, unknown> = {}) {
  const user = await createUser(app.db)
  const browser = new TestClient()
  const { response } = await signIn(browser, user.email, user.password, extra)
  expect(response.status).toBe(200)
  return { user, browser }
}

describe('a valid access token', () => {
  it('passes with no database I/O and exactly one KV round trip', async () => {
    const { browser } = await browserSignedIn()
    const kvCalls: string[] = []
    const counted = new Proxy(app.kv, {
      get: (target, prop: keyof KeyValueStore) => (...args: never[]) => {
        kvCalls.push(prop)
        return (target[prop] as (...a: never[]) => unknown)(...args)
      },
    })
    setKvForTests(counted)
    const dbSpies = (['select', 'insert', 'update', 'delete', 'transaction', 'execute'] as const).map((method) => vi.spyOn(app.db, method))
    try {
      expect(passed(await navigate(browser, '/dashboard'))).toBe(true)
      expect(passed(await proxy(new NextRequest(browser.request('GET', '/api/me'))))).toBe(true)
      expect(kvCalls).toEqual(['getMany', 'getMany'])
      for (const spy of dbSpies) expect(spy).not.toHaveBeenCalled()
    } finally {
      setKvForTests(app.kv)
      vi.restoreAllMocks()
    }
  })

  it('is tolerated for AUTH_EXPIRY_GRACE past exp and not a second longer', async () => {
    const clock = startFakeClock()
    const cli = new BearerClient()
    const user = await createUser(app.db)
    await cli.login(user.email, user.password)
    clock.advance(15 * 60 + 9)
    expect((await cli.get('/api/me')).status).toBe(200)
    clock.advance(2)
    const late = await cli.get('/api/me')
    expect(late.status).toBe(401)
    expect((await json(late)).code).toBe('ACCESS_TOKEN_EXPIRED')
  })
})

describe('without a usable access token', () => {
  it('APIs answer 401 problem+json and pages redirect to /login?next=<path>', async () => {
    const anonymous = new TestClient()
    const api = await proxy(new NextRequest(anonymous.request('GET', '/api/me')))
    expect(api.status).toBe(401)
    expect(api.headers.get('content-type')).toBe('application/problem+json')
    expect((await json(api)).code).toBe('UNAUTHENTICATED')
    const page = await navigate(anonymous, '/dashboard?tab=claims')
    expect(page.status).toBe(307)
    const location = new URL(page.headers.get('location')!)
    expect(location.pathname).toBe('/login')
    expect(location.searchParams.get('next')).toBe('/dashboard?tab=claims')
  })

  it('an access cookie the browser dropped at expiry reads as ACCESS_TOKEN_EXPIRED while the refresh cookie lives', async () => {
    const { browser } = await browserSignedIn()
    browser.cookies.delete('njjwt-at')
    const api = await proxy(new NextRequest(browser.request('GET', '/api/me')))
    expect((await json(api)).code).toBe('ACCESS_TOKEN_EXPIRED')
  })

  it('refuses a refresh token presented as an access token', async () => {
    const cli = new BearerClient()
    const user = await createUser(app.db)
    await cli.login(user.email, user.password)
    const response = await cli.get('/api/me', cli.refreshToken)
    expect((await json(response)).code).toBe('ACCESS_TOKEN_INVALID')
  })

  it('server code verifies again: a handler reached without the gate still refuses', async () => {
    const response = await dispatch(new Request(`${ORIGIN}/api/me`, { headers: { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' } }))
    expect(response.status).toBe(401)
  })
})

describe('refresh during a page navigation', () => {
  it('refreshes once and hands the new cookies to the same request and the browser', async () => {
    const clock = startFakeClock()
    const { browser } = await browserSignedIn()
    const oldAccess = browser.cookies.get('njjwt-at')!
    clock.advance(16 * 60)
    browser.cookies.delete('njjwt-at') // the browser dropped it at Max-Age
    const response = await navigate(browser, '/dashboard')
    expect(passed(response)).toBe(true)
    const newAccess = browser.cookies.get('njjwt-at')!
    expect(newAccess).toBeTruthy()
    expect(newAccess).not.toBe(oldAccess)
    // The server components of this request see the new token (Next's request-header override).
    expect(response.headers.get('x-middleware-request-cookie')).toContain(`njjwt-at=${newAccess}`)
    for (const line of response.headers.getSetCookie()) expect(line).toMatch(/HttpOnly/i)
  })

  it('parallel navigations share one successor through the reuse grace', async () => {
    const clock = startFakeClock()
    const { user, browser } = await browserSignedIn()
    clock.advance(16 * 60)
    browser.cookies.delete('njjwt-at')
    const responses = await Promise.all(Array.from({ length: 5 }, () => proxy(new NextRequest(browser.request('GET', '/dashboard')))))
    expect(responses.every(passed)).toBe(true)
    const tokens = new Set(responses.map((r) => r.headers.getSetCookie().find((c) => c.startsWith('njjwt-rt='))))
    expect(tokens.size).toBe(1)
    const sessions = await app.db.query.auditEvents.findMany({ where: (e, { and, eq }) => and(eq(e.userId, user.id), eq(e.event, 'refresh_reuse_detected')) })
    expect(sessions).toHaveLength(0)
  })

  it('a stale token (role changed) is refreshed on navigation with the new claims', async () => {
    const clock = startFakeClock()
    const { user, browser } = await browserSignedIn()
    clock.advance(60)
    await markUserTokensStale(user.id, Date.now())
    clock.advance(1)
    const api = await proxy(new NextRequest(browser.request('GET', '/api/me')))
    expect((await json(api)).code).toBe('ACCESS_TOKEN_STALE')
    const page = await navigate(browser, '/dashboard')
    expect(passed(page)).toBe(true)
    expect(decodeJwt(browser.cookies.get('njjwt-at')!).iat).toBeGreaterThan(decodeJwt(browser.cookies.get('njjwt-rt')!).iat! - 1)
    expect(passed(await proxy(new NextRequest(browser.request('GET', '/api/me'))))).toBe(true)
  })
})

describe('revocation', () => {
  it('after logout the access token is refused on the very next request', async () => {
    const cli = new BearerClient()
    const user = await createUser(app.db)
    await cli.login(user.email, user.password)
    expect((await cli.get('/api/me')).status).toBe(200)
    const logout = await dispatch(cli.request('POST', '/api/auth/logout', undefined, { authorization: `Bearer ${cli.accessToken}` }))
    expect(logout.status).toBe(200)
    const after = await cli.get('/api/me')
    expect(after.status).toBe(401)
    expect((await json(after)).code).toBe('ACCESS_TOKEN_REVOKED')
  })
})

describe('route-level RBAC', () => {
  it('a user gets 403 on admin APIs and the 403 page on /admin; an admin passes', async () => {
    const { browser } = await browserSignedIn()
    const api = await proxy(new NextRequest(browser.request('GET', '/api/admin/users')))
    expect(api.status).toBe(403)
    expect((await json(api)).code).toBe('FORBIDDEN')
    const page = await navigate(browser, '/admin')
    expect(page.headers.get('x-middleware-rewrite')).toContain('/forbidden')
    const admin = await createUser(app.db, { role: 'admin' })
    const adminBrowser = new TestClient()
    await signIn(adminBrowser, admin.email, admin.password)
    expect(passed(await navigate(adminBrowser, '/admin'))).toBe(true)
  })
})

describe('an unreachable KV', () => {
  it('fails closed with 503 SERVICE_UNAVAILABLE', async () => {
    const { browser } = await browserSignedIn()
    setKvForTests(createUpstashKv({ url: 'http://127.0.0.1:9', token: 'x' }))
    try {
      const api = await proxy(new NextRequest(browser.request('GET', '/api/me')))
      expect(api.status).toBe(503)
      expect((await json(api)).code).toBe('SERVICE_UNAVAILABLE')
      const page = await navigate(browser, '/dashboard')
      expect(page.status).toBe(503)
    } finally {
      setKvForTests(app.kv)
    }
  })
})
