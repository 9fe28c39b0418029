import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '@/lib/config'
import { proxy } from '@/proxy'
import { BearerClient, CLI_HEADERS, ORIGIN, TestClient, dispatch, expectProblem } from './support/client'
import { createUser, setupTestApp } from './support/harness'
import { gateRunsOn } from './support/proxy-matcher'

// SPEC §3 CORS for bearer-mode browser clients: CORS_ALLOWED_ORIGINS lists exact origins; an
// allowed one gets preflights and Access-Control-Allow-Origin on every API answer, errors
// included; nobody ever gets Access-Control-Allow-Credentials; a disallowed origin gets nothing.
const ALLOWED = 'http://127.0.0.1:4010'
const OTHER = 'https://evil.example'
const app = setupTestApp({ CORS_ALLOWED_ORIGINS: `${ALLOWED}, https://app.example.com` })

function preflightRequest(path: string, origin: string, method = 'POST') {
  return new Request(new URL(path, ORIGIN), {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, x-device-id' },
  })
}

const corsOf = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'))

describe('CORS_ALLOWED_ORIGINS', () => {
  it('takes exact origins only: no path, no trailing slash, no wildcard, no other scheme', () => {
    expect(loadConfig({ CORS_ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173' }).cors.allowedOrigins).toEqual(new Set(['https://a.example', 'http://localhost:5173']))
    expect(loadConfig({}).cors.allowedOrigins.size).toBe(0)
    for (const bad of ['*', 'https://a.example/', 'https://a.example/app', 'a.example', 'ftp://a.example', 'https://A.example', 'null']) {
      expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: bad }), bad).toThrow(ConfigError)
      expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: bad }), bad).toThrow(/CORS_ALLOWED_ORIGINS/)
    }
  })
})

describe('a preflight', () => {
  it('from an allowed origin gets the methods and headers bearer mode needs, on every API path, without credentials', async () => {
    for (const path of ['/api/me', '/api/auth/login', '/api/auth/refresh', '/api/auth/sessions/0190a0b0-0000-7000-8000-000000000000', '/api/admin/users', '/api/nowhere']) {
      const request = preflightRequest(path, ALLOWED)
      expect(gateRunsOn(new URL(request.url).pathname, request.headers), path).toBe(true)
      const response = await proxy(new NextRequest(request))
      expect(response.status, path).toBe(204)
      expect(corsOf(response), path).toEqual({
        'access-control-allow-origin': ALLOWED,
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
        'access-control-allow-headers': 'Authorization, Content-Type, X-Device-Id',
        'access-control-max-age': '600',
        vary: 'Origin',
      })
    }
  })

  it('from any other origin gets no CORS headers, so the browser refuses', async () => {
    for (const origin of [OTHER, 'null', `${ALLOWED}.evil.example`, 'http://127.0.0.1:4011', ALLOWED.toUpperCase()]) {
      const response = await proxy(new NextRequest(preflightRequest('/api/me', origin)))
      expect(response.status).toBe(204)
      expect(corsOf(response), origin).toEqual({ vary: 'Origin' })
    }
  })

  it('of /api/auth/* reaches the gate only as a preflight: its other requests stay out of it', () => {
    expect(gateRunsOn('/api/auth/login')).toBe(false)
    expect(gateRunsOn('/api/auth/login', new Headers({ origin: ALLOWED }))).toBe(false)
    expect(gateRunsOn('/api/auth/login', new Headers({ 'access-control-request-method': 'POST' }))).toBe(true)
  })
})

describe('answers to an allowed origin', () => {
  it('carry Access-Control-Allow-Origin on success and on every kind of error, and never Allow-Credentials', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient({ ...CLI_HEADERS, origin: ALLOWED })
    const answers: Array<[string, Response]> = []
    answers.push(['login', await cli.login(user.email, user.password)])
    expect(answers[0]![1].status).toBe(200)
    answers.push(['me', await cli.get('/api/me')])
    expect(answers[1]![1].status).toBe(200)
    answers.push(['refresh', await cli.refresh()])
    answers.push(['bad token (the gate)', await cli.get('/api/me', 'not-a-token')])
    await expectProblem(answers.at(-1)![1], 401, 'ACCESS_TOKEN_INVALID')
    answers.push(['forbidden (the gate)', await cli.get('/api/admin/users')])
    await expectProblem(answers.at(-1)![1], 403, 'FORBIDDEN')
    answers.push(['unknown path', await cli.get('/api/nowhere')])
    await expectProblem(answers.at(-1)![1], 404, 'NOT_FOUND')
    answers.push(['wrong method', await dispatch(cli.request('PUT', '/api/auth/login', {}))])
    await expectProblem(answers.at(-1)![1], 405, 'METHOD_NOT_ALLOWED')
    answers.push(['bad body', await dispatch(cli.request('POST', '/api/auth/login', { email: 1 }))])
    await expectProblem(answers.at(-1)![1], 400, 'VALIDATION_FAILED')
    answers.push(['wrong password', await dispatch(cli.request('POST', '/api/auth/login', { email: user.email, password: 'wrong-password-1', transport: 'bearer' }))])
    await expectProblem(answers.at(-1)![1], 401, 'INVALID_CREDENTIALS')
    for (const [what, response] of answers) {
      expect(response.headers.get('access-control-allow-origin'), what).toBe(ALLOWED)
      expect(response.headers.get('access-control-allow-credentials'), what).toBeNull()
      expect(response.headers.get('vary'), what).toContain('Origin')
    }
  })

  it('to another origin carry no CORS header at all', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient({ ...CLI_HEADERS, origin: OTHER })
    const responses = [await cli.login(user.email, user.password), await cli.get('/api/me'), await cli.get('/api/nowhere'), await cli.get('/api/me', 'x')]
    expect(responses.map((response) => response.status)).toEqual([200, 200, 404, 401])
    for (const response of responses) expect(corsOf(response)).toEqual({ vary: 'Origin' })
  })

  it('cookie mode stays same-site: a cross-site cookie request from an allowed origin is still refused', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient()
    await browser.call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })
    const response = await browser.call('POST', '/api/auth/logout', { headers: { origin: ALLOWED, 'sec-fetch-site': 'cross-site' }, raw: '', })
    await expectProblem(response, 403, 'CSRF_REJECTED')
    expect(response.headers.get('access-control-allow-credentials')).toBeNull()
  })
})
