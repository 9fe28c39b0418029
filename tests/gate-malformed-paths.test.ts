import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { proxy } from '@/proxy'
import { BearerClient, ORIGIN, TestClient, expectProblem, signIn } from './support/client'
import { createUser, setupTestApp } from './support/harness'
import { gateRunsOn } from './support/proxy-matcher'

// Issue 8 item 6 (SPEC §7: never a 500 for bad input). Next's router decodes the path with
// decodeURIComponent and answered a malformed escape with a bare 500 text/plain, on paths the gate
// never saw (/api/auth/*) and on public pages it passed straight through. The gate answers first.
const app = setupTestApp()

const MALFORMED_API = ['/api/auth/login%', '/api/auth/%zz', '/api/auth/login%2', '/api/auth/sessions/%C0%AF', '/api/me%', '/api/admin/users/%E0%A4%A', '/api/nowhere/%']
const MALFORMED_PAGES = ['/errors/%', '/errors/%zz', '/%', '/dashboard%', '/login%C0%AF', '/admin/%E0%A4%A', '/api%zz']

const gate = (method: string, path: string, headers: Record<string, string> = {}) =>
  proxy(new NextRequest(new Request(new URL(path, ORIGIN), { method, headers: { origin: ORIGIN, ...headers } })))

describe('a path with a malformed %-escape', () => {
  it.each(MALFORMED_API)('reaches the gate, also under /api/auth/: %s', (path) => {
    expect(gateRunsOn(path)).toBe(true)
  })

  it.each(MALFORMED_API)('API %s answers 400 VALIDATION_FAILED problem+json, whatever the method', async (path) => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const body = await expectProblem(await gate(method, path), 400, 'VALIDATION_FAILED')
      expect(body.errors?.path).toHaveLength(1)
    }
  })

  it('is answered before authentication: signed in or not, the same 400', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient()
    await cli.login(user.email, user.password)
    await expectProblem(await gate('GET', '/api/me%', { authorization: `Bearer ${cli.accessToken}` }), 400, 'VALIDATION_FAILED')
    await expectProblem(await gate('DELETE', '/api/auth/sessions/%C0%AF', { authorization: `Bearer ${cli.accessToken}` }), 400, 'VALIDATION_FAILED')
    const browser = new TestClient()
    await signIn(browser, user.email, user.password)
    await expectProblem(await proxy(new NextRequest(browser.request('POST', '/api/auth/login%'))), 400, 'VALIDATION_FAILED')
  })

  it.each(MALFORMED_PAGES)('page %s is rewritten to the 404 page, public or not', async (path) => {
    const response = await gate('GET', path, { accept: 'text/html' })
    expect(new URL(response.headers.get('x-middleware-rewrite')!).pathname).toBe('/not-found')
    expect(response.headers.get('cache-control')).toBe('private, no-store')
  })
})

describe('valid escapes and /api/auth/* are untouched', () => {
  it('a path whose escapes decode passes as before', async () => {
    expect((await gate('GET', '/errors/%41')).headers.get('x-middleware-next')).toBe('1')
    expect((await gate('DELETE', '/api/auth/sessions/%41')).headers.get('x-middleware-next')).toBe('1')
    expect((await gate('GET', '/api/me%20')).status).toBe(401)
  })

  it('/api/auth/* without a % stays outside the gate, as SPEC §6 says', () => {
    for (const path of ['/api/auth/login', '/api/auth/refresh', '/api/auth/sessions/0190a0b0-0000-7000-8000-000000000000']) expect(gateRunsOn(path)).toBe(false)
    for (const path of ['/dashboard', '/api/me', '/admin']) expect(gateRunsOn(path)).toBe(true)
    for (const path of ['/_next/static/chunks/a.js', '/favicon.ico', '/icon.svg', '/.well-known/jwks.json']) expect(gateRunsOn(path)).toBe(false)
  })
})
