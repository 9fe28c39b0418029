import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '@playwright/test'
import { DEMO_USER } from './support'

// SPEC §3 / issue 12: a bearer-mode browser app on another origin. The page is served from a second
// local origin that playwright.config.ts lists in CORS_ALLOWED_ORIGINS, and again from a third that
// it does not list. The browser's own CORS checks decide: the first signs in, calls /api/me and
// refreshes on expiry; the second is refused by the browser before it reads a byte.

const CORS_TEST_PORT = 3197

const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bearer client</title></head><body><h1>Another origin</h1></body></html>'

function servePage(port: number): Promise<http.Server> {
  const server = http.createServer((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE))
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}

type Answer = { status: number; body: Record<string, unknown> } | { error: string }

test.describe('a bearer-mode client on another origin', () => {
  let allowed: http.Server
  let disallowed: http.Server
  test.beforeAll(async () => {
    allowed = await servePage(CORS_TEST_PORT)
    disallowed = await servePage(0)
  })
  test.afterAll(async () => {
    await new Promise((resolve) => allowed.close(resolve))
    await new Promise((resolve) => disallowed.close(resolve))
  })

  test('signs in, calls /api/me and refreshes on expiry from an allowed origin', async ({ page, baseURL }) => {
    test.setTimeout(90_000)
    await page.goto(`http://127.0.0.1:${CORS_TEST_PORT}/`)
    const call = (path: string, init: { method?: string; body?: unknown; token?: string; deviceId?: string } = {}) =>
      page.evaluate(
        async ({ url, init }): Promise<Answer> => {
          const headers: Record<string, string> = {}
          if (init.body !== undefined) headers['content-type'] = 'application/json'
          if (init.token) headers.authorization = `Bearer ${init.token}`
          if (init.deviceId) headers['x-device-id'] = init.deviceId
          try {
            const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
            return { status: response.status, body: await response.json() }
          } catch (error) {
            return { error: String(error) }
          }
        },
        { url: new URL(path, baseURL).href, init },
      )

    const login = await call('/api/auth/login', { method: 'POST', body: { email: DEMO_USER.email, password: DEMO_USER.password, transport: 'bearer' } })
    expect(login).toMatchObject({ status: 200 })
    const tokens = (login as unknown as { body: { accessToken: string; refreshToken: string; deviceId: string } }).body
    expect(await call('/api/me', { token: tokens.accessToken })).toMatchObject({ status: 200, body: { user: { email: DEMO_USER.email } } })

    // The access token runs out (AUTH_ACCESS_TTL 20 s + grace): the client sees the refreshable code…
    await expect
      .poll(async () => ((await call('/api/me', { token: tokens.accessToken })) as { body: { code?: string } }).body.code, { timeout: 60_000, intervals: [2_000] })
      .toBe('ACCESS_TOKEN_EXPIRED')
    // …refreshes, and goes on with the new token.
    const refreshed = await call('/api/auth/refresh', { method: 'POST', body: { refreshToken: tokens.refreshToken }, deviceId: tokens.deviceId })
    expect(refreshed).toMatchObject({ status: 200, body: { rotated: true } })
    const next = (refreshed as unknown as { body: { accessToken: string; refreshToken: string } }).body
    expect(await call('/api/me', { token: next.accessToken })).toMatchObject({ status: 200 })
    await call('/api/auth/logout', { method: 'POST', body: { refreshToken: next.refreshToken }, token: next.accessToken })
  })

  test('is refused by the browser from an origin that is not allowed', async ({ page, baseURL }) => {
    const port = (disallowed.address() as AddressInfo).port
    await page.goto(`http://127.0.0.1:${port}/`)
    const blocked: string[] = []
    page.on('console', (message) => message.type() === 'error' && blocked.push(message.text()))
    const answer = await page.evaluate(async (url) => {
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
        return { status: response.status }
      } catch (error) {
        return { error: String(error) }
      }
    }, new URL('/api/auth/login', baseURL).href)
    expect(answer).toEqual({ error: 'TypeError: Failed to fetch' })
    expect(blocked.join('\n')).toContain('CORS policy')
  })
})
