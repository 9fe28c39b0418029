import { NextRequest } from 'next/server'
import { describe, expect, it, vi } from 'vitest'
import { getRateLimiter } from '@/lib/store/rate-limit'
import { proxy } from '@/proxy'
import { BearerClient, TestClient, signIn } from './support/client'
import { createUser, setupTestApp, startFakeClock } from './support/harness'

// SPEC §6 and issue 9 item 4: a page navigation that meets a refresh cookie which cannot go on
// (revoked, expired, reused) clears the auth cookies on its way to /login, as POST
// /api/auth/refresh does. Later navigations then carry no dead cookie: no rate-limit call and no
// locked transaction for a session that is over.
const app = setupTestApp()

async function navigate(browser: TestClient, path = '/dashboard') {
  const response = await proxy(new NextRequest(browser.request('GET', path, { headers: { accept: 'text/html' } })))
  browser.store(response)
  return response
}

async function browserWithExpiredAccess() {
  const user = await createUser(app.db)
  const browser = new TestClient()
  await signIn(browser, user.email, user.password)
  browser.cookies.delete('njjwt-at') // the browser dropped it at expiry
  return { user, browser }
}

const toLogin = (response: Response) => response.status === 307 && new URL(response.headers.get('location')!).pathname === '/login'

describe('§6 the gate clears the cookies of a session that is over', () => {
  it.each([
    ['revoked from another device', async (s: Awaited<ReturnType<typeof browserWithExpiredAccess>>) => {
      const other = new BearerClient()
      await other.login(s.user.email, s.user.password)
      expect((await other.call('POST', '/api/auth/sessions/revoke-others')).status).toBe(200)
    }],
    ['past its absolute end', async () => {
      startFakeClock(Date.now() + 13 * 3600 * 1000)
    }],
    ['whose refresh token was used twice', async (s: Awaited<ReturnType<typeof browserWithExpiredAccess>>) => {
      const copy = new TestClient()
      for (const [name, value] of s.browser.cookies) copy.cookies.set(name, value)
      expect((await copy.call('POST', '/api/auth/refresh')).status).toBe(200)
      startFakeClock(Date.now() + 60_000) // past the reuse grace
    }],
  ])('%s: the first navigation clears them, the second does no database transaction', async (_name, end) => {
    const scene = await browserWithExpiredAccess()
    await end(scene)
    const first = await navigate(scene.browser)
    expect(toLogin(first)).toBe(true)
    expect(first.headers.get('cache-control')).toBe('private, no-store')
    expect(first.headers.getSetCookie().filter((line) => /^njjwt-(at|rt)=;.*Max-Age=0/.test(line))).toHaveLength(2)
    expect(scene.browser.cookies.has('njjwt-rt')).toBe(false)
    expect(scene.browser.cookies.has('njjwt-did')).toBe(true) // it names the browser, not the session

    const transactions = vi.spyOn(app.db, 'transaction')
    const limits = vi.spyOn(getRateLimiter(), 'limit')
    try {
      expect(toLogin(await navigate(scene.browser))).toBe(true)
      expect(transactions).not.toHaveBeenCalled()
      expect(limits).not.toHaveBeenCalled()
    } finally {
      vi.restoreAllMocks()
    }
  })

  it('a navigation that is only rate limited keeps the cookies (nothing ended)', async () => {
    const { browser } = await browserWithExpiredAccess()
    const clock = startFakeClock()
    expect((await navigate(browser)).headers.get('x-middleware-next')).toBe('1') // rotated
    browser.cookies.delete('njjwt-at')
    clock.advance(1) // within AUTH_REFRESH_MIN_INTERVAL
    const limited = await navigate(browser)
    expect(toLogin(limited)).toBe(true)
    expect(limited.headers.getSetCookie()).toEqual([])
    expect(browser.cookies.has('njjwt-rt')).toBe(true)
  })
})
