import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { proxy } from '@/proxy'
import { TestClient, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §3 (issue 8 item 3): every response that sets or clears an auth cookie, and every one the
// gate rewrites or redirects, carries `Cache-Control: private, no-store`. The gate's 403 rewrite
// of a non-admin who refreshed on the way to /admin left with a prerendered page's
// `s-maxage=31536000` and the Set-Cookie of fresh tokens: a shared cache could hand them to anyone.
const app = setupTestApp()

function expectPrivate(response: Response) {
  const cacheControl = response.headers.get('cache-control') ?? ''
  expect(cacheControl).toMatch(/\bprivate\b/)
  expect(cacheControl).toMatch(/\bno-store\b/)
  expect(cacheControl).not.toMatch(/s-maxage|public/)
}

/** A browser whose access cookie is gone (dropped at Max-Age): only the refresh and device cookies. */
async function browserWithRefreshCookieOnly(role: 'user' | 'admin' = 'user') {
  const clock = startFakeClock()
  const user = await createUser(app.db, { role })
  const browser = new TestClient()
  expect((await signIn(browser, user.email, user.password)).response.status).toBe(200)
  clock.advance(16 * 60)
  browser.cookies.delete('njjwt-at')
  expect([...browser.cookies.keys()].sort()).toEqual(['njjwt-did', 'njjwt-rt'])
  return browser
}

const navigate = (client: TestClient, path: string) => proxy(new NextRequest(client.request('GET', path, { headers: { accept: 'text/html' } })))

describe('SPEC §3: the gate keeps one person’s answers out of shared caches', () => {
  it('a non-admin refreshing on the way to /admin: the 403 rewrite with new cookies is private, no-store', async () => {
    const browser = await browserWithRefreshCookieOnly()
    const response = await navigate(browser, '/admin')
    expect(new URL(response.headers.get('x-middleware-rewrite')!).pathname).toBe('/forbidden')
    expect(response.headers.getSetCookie()).toHaveLength(3)
    expectPrivate(response)
  })

  it('a page navigation that refreshes passes with new cookies, private, no-store', async () => {
    const browser = await browserWithRefreshCookieOnly()
    const response = await navigate(browser, '/dashboard')
    expect(response.headers.get('x-middleware-next')).toBe('1')
    expect(response.headers.getSetCookie()).toHaveLength(3)
    expectPrivate(response)
  })

  it('the redirect to /login is private, no-store', async () => {
    const response = await navigate(new TestClient(), '/dashboard')
    expect(response.status).toBe(307)
    expectPrivate(response)
  })

  it('the gate’s own API problems (401, 403) are private, no-store', async () => {
    expectPrivate(await proxy(new NextRequest(new TestClient().request('GET', '/api/me'))))
    const browser = await browserWithRefreshCookieOnly()
    await browser.call('POST', '/api/auth/refresh')
    const forbidden = await proxy(new NextRequest(browser.request('GET', '/api/admin/users')))
    expect(forbidden.status).toBe(403)
    expectPrivate(forbidden)
  })
})

describe('SPEC §3: route handlers that set or clear auth cookies answer private, no-store', () => {
  it('sign-in, refresh, a failed refresh and sign-out', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient()
    const { response: login } = await signIn(browser, user.email, user.password)
    expect(login.headers.getSetCookie().length).toBeGreaterThan(0)
    expectPrivate(login)

    browser.cookies.delete('njjwt-at')
    const refresh = await browser.call('POST', '/api/auth/refresh')
    expect(refresh.headers.getSetCookie().length).toBeGreaterThan(0)
    expectPrivate(refresh)

    const logout = await browser.call('POST', '/api/auth/logout')
    expect(logout.headers.getSetCookie().length).toBeGreaterThan(0)
    expectPrivate(logout)

    const stranger = new TestClient()
    stranger.cookies.set('njjwt-rt', 'not-a-token')
    const failed = await stranger.call('POST', '/api/auth/refresh')
    expect(failed.status).toBe(401)
    expect(failed.headers.getSetCookie().length).toBeGreaterThan(0)
    expectPrivate(failed)
  })
})
