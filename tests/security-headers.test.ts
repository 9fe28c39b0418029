import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { proxy } from '@/proxy'
import { TestClient, signIn } from './support/client'
import { createUser, setupTestApp, startFakeClock } from './support/harness'

// SPEC §8a security headers: every page the gate answers or lets through carries a
// Content-Security-Policy whose nonce is this request's own and reaches the page's server
// components (Next puts it on its scripts); no inline script runs without it.
const app = setupTestApp()

function page(client: TestClient, path: string, headers: Record<string, string> = {}) {
  return proxy(new NextRequest(client.request('GET', path, { headers: { accept: 'text/html', ...headers } })))
}

function nonceOf(csp: string | null): string {
  const match = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'(;|$)/.exec(csp ?? '')
  expect(match, csp ?? 'no CSP').not.toBeNull()
  return match![1]!
}

function expectPolicy(response: Response): string {
  const csp = response.headers.get('content-security-policy')
  const nonce = nonceOf(csp)
  expect(nonce.length).toBeGreaterThanOrEqual(22)
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "default-src 'self'", "form-action 'self'"]) expect(csp).toContain(directive)
  expect(/script-src[^;]*unsafe-inline/.test(csp!)).toBe(false)
  expect(/script-src[^;]*unsafe-eval/.test(csp!)).toBe(false)
  // The same nonce and policy go on to the server components with the request.
  expect(response.headers.get('x-middleware-request-x-nonce')).toBe(nonce)
  expect(response.headers.get('x-middleware-request-content-security-policy')).toBe(csp)
  return nonce
}

describe('Content-Security-Policy on pages', () => {
  it('on every kind of page answer: public, signed in, refreshed on the way, 403 and 404 rewrites; a new nonce each time', async () => {
    const clock = startFakeClock()
    const user = await createUser(app.db)
    const browser = new TestClient()
    expect((await signIn(browser, user.email, user.password)).response.status).toBe(200)
    const nonces = new Set<string>()
    const answers = [await page(browser, '/login'), await page(browser, '/'), await page(browser, '/dashboard'), await page(browser, '/admin'), await page(browser, '/errors/%')]
    expect(answers.map((r) => r.headers.get('x-middleware-rewrite') ? new URL(r.headers.get('x-middleware-rewrite')!).pathname : r.headers.get('x-middleware-next'))).toEqual(['1', '1', '1', '/forbidden', '/not-found'])
    clock.advance(16 * 60)
    browser.cookies.delete('njjwt-at')
    const refreshed = await page(browser, '/dashboard')
    expect(refreshed.headers.getSetCookie().some((line) => line.startsWith('njjwt-at='))).toBe(true)
    for (const response of [...answers, refreshed]) nonces.add(expectPolicy(response))
    expect(nonces.size).toBe(6)
  })

  it('a nonce or policy the client sends is replaced by the gate’s own', async () => {
    const response = await page(new TestClient(), '/login', { 'x-nonce': 'chosen-by-attacker', 'content-security-policy': "script-src 'unsafe-inline'" })
    const nonce = expectPolicy(response)
    expect(nonce).not.toBe('chosen-by-attacker')
  })

  it('HSTS over https only', async () => {
    const plain = await page(new TestClient(), '/login')
    expect(plain.headers.get('strict-transport-security')).toBeNull()
    const secure = await proxy(new NextRequest(new Request('https://auth.example.com/login', { headers: { accept: 'text/html', host: 'auth.example.com' } })))
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains')
    expectPolicy(secure)
  })
})
