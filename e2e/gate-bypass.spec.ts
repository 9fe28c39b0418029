import http from 'node:http'
import { expect, test } from '@playwright/test'
import { DEMO_USER } from './support'

// Regression guards for defences that held in the security review (issue 8, "Also"): ways of
// spelling a request so that it reaches a protected page or API without the gate's check. Sent
// with node:http so paths go out exactly as written (a URL parser would tidy `..` and `//` away).
// Whatever the spelling, a request without a token never gets a protected answer, and a user's
// token never gets an admin one. (Spellings Next does not decode, such as `/api/%61dmin`, reach
// no admin route at all: they are unknown paths.) One bearer sign-in.

type Raw = { status: number; type: string; body: string; location: string | undefined; headers: http.IncomingHttpHeaders }

function raw(baseURL: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  const { hostname, port } = new URL(baseURL)
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, method, path, headers }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type'] ?? ''), body, location: response.headers.location, headers: response.headers }),
      )
    })
    request.on('error', reject)
    request.end()
  })
}

// Next's CVE-2025-29927 header, in the spellings of Next 12 to 16, and the router's own headers.
const BYPASS_HEADERS: Array<Record<string, string>> = [
  { 'x-middleware-subrequest': 'middleware' },
  { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' },
  { 'x-middleware-subrequest': 'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware' },
  { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
  { 'x-middleware-subrequest': 'src/proxy:src/proxy:src/proxy:src/proxy:src/proxy' },
  { rsc: '1' },
  { rsc: '1', 'next-router-prefetch': '1' },
  { 'next-router-state-tree': '%5B%22%22%2C%7B%7D%5D', rsc: '1' },
  { 'x-nextjs-data': '1' },
  { 'x-middleware-prefetch': '1' },
  { purpose: 'prefetch' },
  { 'next-action': 'x' },
  { 'x-invoke-path': '/dashboard', 'x-invoke-query': '{}' },
  { 'x-matched-path': '/' },
]

const API_SPELLINGS = ['/api/me', '/api/me/', '/api//me', '/api/./me', '/api/%6de', '/api/m%65', '/API/me', '/api/auth/../me', '/api/auth/%2e%2e/me', '/.well-known/../api/me', '/_next/static/../../api/me', '/favicon.ico/../api/me', '/api/me;x', '/api/me?x=1', '/api/me#x']
const PAGE_SPELLINGS = ['/dashboard', '/dashboard/', '//dashboard', '/./dashboard', '/%64ashboard', '/login/../dashboard', '/errors/../dashboard', '/_next/image/../../dashboard', '/dashboard;x', '/Dashboard']
const ADMIN_SPELLINGS = ['/api/admin/users', '/api/admin/users/', '/api//admin/users', '/api/%61dmin/users', '/api/auth/../admin/users', '/api/admin/./users', '/api/admin/users;x', '/admin', '/admin/', '//admin', '/%61dmin', '/forbidden/../admin', '/not-found/../admin']

/** What a protected answer looks like: the user's JSON from /api/me, or a rendered dashboard. */
const leaked = (response: Raw) => response.status === 200 && (response.body.includes('"claims"') || response.body.includes('Dashboard</h1>') || response.body.includes('"users"'))

/** Next's answer to a (Pages-router) prefetch the proxy let through: `{}` and no page, no data. */
const empty = (response: Raw) => response.status === 200 && response.body.trim() === '{}'

function expectRefused(response: Raw, allowed: number[], what: string) {
  expect(leaked(response), what).toBe(false)
  if (!empty(response)) expect(allowed, `${what} → ${response.status}`).toContain(response.status)
}

test.describe('no spelling of a request gets past the gate', () => {
  test('without a token: nothing answers but a refusal, a redirect or a 404', async ({ baseURL }) => {
    for (const path of API_SPELLINGS) {
      for (const headers of [{}, ...BYPASS_HEADERS]) {
        expectRefused(await raw(baseURL!, 'GET', path, headers), [307, 308, 400, 401, 404], `${path} ${JSON.stringify(headers)}`)
      }
    }
    for (const path of PAGE_SPELLINGS) {
      for (const headers of [{ accept: 'text/html' }, ...BYPASS_HEADERS]) {
        expectRefused(await raw(baseURL!, 'GET', path, headers), [307, 308, 401, 404], `${path} ${JSON.stringify(headers)}`)
      }
    }
  })

  test('with a user’s token: nothing an admin sees, in any spelling', async ({ baseURL, request }) => {
    const login = await request.post('/api/auth/login', { data: { ...DEMO_USER, transport: 'bearer' } })
    expect(login.status()).toBe(200)
    const bearer = { authorization: `Bearer ${(await login.json()).accessToken}` }
    for (const path of ADMIN_SPELLINGS) {
      for (const headers of [{}, ...BYPASS_HEADERS]) {
        expectRefused(await raw(baseURL!, 'GET', path, { ...bearer, accept: 'text/html', ...headers }), [301, 307, 308, 403, 404], `${path} ${JSON.stringify(headers)}`)
      }
    }
    // The token itself is good: the plain spelling of an allowed API answers.
    expect((await raw(baseURL!, 'GET', '/api/me', bearer)).status).toBe(200)
    await request.post('/api/auth/logout', { headers: bearer })
  })
})

test('the gate’s verdict to the handler (lib/auth/gate-verdict.ts) never reaches the client, and a forged one spares no check', async ({ baseURL, request }) => {
  const login = await request.post('/api/auth/login', { data: { ...DEMO_USER, transport: 'bearer' } })
  expect(login.status()).toBe(200)
  const bearer = { authorization: `Bearer ${(await login.json()).accessToken}` }
  const me = await raw(baseURL!, 'GET', '/api/me', bearer)
  expect(me.status).toBe(200)
  const internal = Object.keys(me.headers).filter((name) => name === 'x-njjwt-gate' || name.startsWith('x-middleware'))
  expect(internal).toEqual([])
  expect(me.body).not.toContain('x-njjwt-gate')
  await request.post('/api/auth/logout', { headers: bearer })
  const forged = await raw(baseURL!, 'GET', '/api/me', { ...bearer, 'x-njjwt-gate': `${Date.now()}.${'A'.repeat(43)}` })
  expect(forged.status).toBe(401)
  expect(forged.body).toContain('ACCESS_TOKEN_REVOKED')
})

