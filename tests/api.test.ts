import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { setKvForTests } from './support/seams'
import { createUpstashKv } from '@/lib/store/kv-upstash'
import { BearerClient, TestClient, dispatch, json, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §3 and §7: the API's contract, bad input on every endpoint, CSRF.
const app = setupTestApp({ AUTH_ADMIN_EMAILS: 'boss@example.test' })

type Problem = { type: string; title: string; status: number; detail: string; code: string; errors?: Record<string, string[]> }

async function problem(response: Response, status: number, code: string): Promise<Problem> {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const body = await json<Problem>(response)
  expect(body).toMatchObject({ status, code })
  expect(body.type).toMatch(new RegExp(`/errors/${code}$`))
  expect(typeof body.title).toBe('string')
  expect(typeof body.detail).toBe('string')
  return body
}

describe('POST /api/auth/register', () => {
  it('creates a user (201) and refuses a duplicate email whatever its case (409)', async () => {
    const browser = new TestClient()
    const created = await browser.call('POST', '/api/auth/register', { body: { email: 'New.Person@Example.test', password: 'long-enough-pw', name: 'New' } })
    expect(created.status).toBe(201)
    const { user } = await json<{ user: Record<string, unknown> }>(created)
    expect(user).toMatchObject({ email: 'new.person@example.test', name: 'New', role: 'user', permissions: ['profile:read', 'profile:write'] })
    expect(user).not.toHaveProperty('passwordHash')
    await problem(await browser.call('POST', '/api/auth/register', { body: { email: 'new.person@EXAMPLE.test', password: 'long-enough-pw' } }), 409, 'EMAIL_TAKEN')
  })

  it('requires a password of at least 10 characters and a valid email, per field', async () => {
    const body = await problem(await new TestClient().call('POST', '/api/auth/register', { body: { email: 'nope', password: 'short' } }), 400, 'VALIDATION_FAILED')
    expect(Object.keys(body.errors!).sort()).toEqual(['email', 'password'])
  })

  it('makes AUTH_ADMIN_EMAILS admins at registration', async () => {
    const created = await new TestClient().call('POST', '/api/auth/register', { body: { email: 'boss@example.test', password: 'long-enough-pw' } })
    expect((await json<{ user: { role: string } }>(created)).user.role).toBe('admin')
  })
})

describe('POST /api/auth/login', () => {
  it('answers {user, session} in cookie mode and tokens + deviceId in bearer mode', async () => {
    const user = await createUser(app.db)
    const { response, body } = await signIn(new TestClient(), user.email, user.password, { rememberMe: true })
    expect(response.status).toBe(200)
    expect(Object.keys(body).sort()).toEqual(['session', 'user'])
    const cli = new BearerClient()
    const bearer = await cli.login(user.email, user.password)
    expect(bearer.headers.getSetCookie()).toEqual([])
    const tokens = await json<Record<string, string>>(bearer)
    expect(Object.keys(tokens).sort()).toEqual(['accessToken', 'deviceId', 'refreshToken', 'session', 'user'])
  })

  it('answers INVALID_CREDENTIALS alike for a wrong password and an unknown email', async () => {
    const user = await createUser(app.db)
    const wrong = await problem(await new TestClient().call('POST', '/api/auth/login', { body: { email: user.email, password: 'wrong-password' } }), 401, 'INVALID_CREDENTIALS')
    const unknown = await problem(await new TestClient().call('POST', '/api/auth/login', { body: { email: 'nobody@example.test', password: 'wrong-password' } }), 401, 'INVALID_CREDENTIALS')
    expect(wrong.detail).toBe(unknown.detail)
  })

  it('without Remember me the refresh cookie has no Max-Age (a browser-session cookie)', async () => {
    const user = await createUser(app.db)
    const { response } = await signIn(new TestClient(), user.email, user.password, { rememberMe: false })
    const refreshCookie = response.headers.getSetCookie().find((c) => c.startsWith('njjwt-rt='))!
    expect(refreshCookie).not.toMatch(/Max-Age/i)
    const remembered = await signIn(new TestClient(), user.email, user.password, { rememberMe: true })
    expect(remembered.response.headers.getSetCookie().find((c) => c.startsWith('njjwt-rt='))).toMatch(/Max-Age=604800/)
  })

  it('uses __Host- Secure cookies on https', async () => {
    const user = await createUser(app.db)
    const response = await dispatch(
      new Request('https://app.example.test/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://app.example.test' },
        body: JSON.stringify({ email: user.email, password: user.password }),
      }),
    )
    const cookies = response.headers.getSetCookie()
    expect(cookies).toHaveLength(3)
    for (const cookie of cookies) expect(cookie).toMatch(/^__Host-njjwt-\w+=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure/)
  })
})

describe('tokens (§2)', () => {
  it('are ES256 with kid and typ, carry exactly the specified claims, and verify with the JWKS', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient()
    await cli.login(user.email, user.password)
    const jwks = await json<{ keys: Array<Record<string, string>> }>(await dispatch(new Request('http://localhost:3000/.well-known/jwks.json')))
    expect(jwks.keys[0]).not.toHaveProperty('d')
    const header = decodeProtectedHeader(cli.accessToken)
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: jwks.keys[0]!.kid })
    expect(decodeProtectedHeader(cli.refreshToken)).toMatchObject({ alg: 'ES256', typ: 'rt+jwt' })
    expect(Object.keys(decodeJwt(cli.accessToken)).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'permissions', 'role', 'sid', 'sub', 'type'])
    expect(Object.keys(decodeJwt(cli.refreshToken)).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sid', 'sub', 'type'])
    const key = await importJWK(jwks.keys[0]!, 'ES256')
    await expect(jwtVerify(cli.accessToken, key)).resolves.toBeTruthy()
  })
})

describe('GET /api/auth/session and POST /api/auth/logout', () => {
  it('session answers {user, session}; logout is idempotent and clears cookies', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient()
    await signIn(browser, user.email, user.password)
    const session = await browser.call('GET', '/api/auth/session')
    expect(session.status).toBe(200)
    const body = await json<{ user: { email: string }; session: { id: string; rememberMe: boolean } }>(session)
    expect(body.user.email).toBe(user.email)
    expect(body.session.rememberMe).toBe(false)
    const first = await browser.call('POST', '/api/auth/logout')
    expect(first.status).toBe(200)
    expect(first.headers.getSetCookie().filter((c) => /Max-Age=0/.test(c))).toHaveLength(2)
    expect(browser.cookies.has('njjwt-at')).toBe(false)
    expect(browser.cookies.has('njjwt-did')).toBe(true)
    expect((await browser.call('POST', '/api/auth/logout')).status).toBe(200)
    await problem(await browser.call('GET', '/api/auth/session'), 401, 'UNAUTHENTICATED')
  })

  it('logout with an expired access token still ends the session', async () => {
    const clock = startFakeClock()
    const user = await createUser(app.db)
    const cli = new BearerClient()
    await cli.login(user.email, user.password)
    clock.advance(3600)
    await dispatch(cli.request('POST', '/api/auth/logout', undefined, { authorization: `Bearer ${cli.accessToken}` }))
    await problem(await cli.refresh(), 401, 'SESSION_REVOKED')
  })
})

describe('transport details', () => {
  it('bearer logout sets no cookies, not even cleared ones', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient()
    await cli.login(user.email, user.password)
    const response = await dispatch(cli.request('POST', '/api/auth/logout', undefined, { authorization: `Bearer ${cli.accessToken}` }))
    expect(response.status).toBe(200)
    expect(response.headers.getSetCookie()).toEqual([])
  })

  it('a method a route does not take is 405 problem+json with Allow', async () => {
    const response = await new TestClient().call('GET', '/api/auth/login')
    const body = await problem(response, 405, 'METHOD_NOT_ALLOWED')
    expect(response.headers.get('allow')).toBe('POST')
    expect(body.detail).toContain('POST')
    expect((await new TestClient().call('DELETE', '/api/me')).headers.get('allow')).toBe('GET')
  })

  it('an unreachable KV makes the self-authenticating auth routes 503, not 500', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient()
    await cli.login(user.email, user.password)
    setKvForTests(createUpstashKv({ url: 'http://127.0.0.1:9', token: 'x' }))
    try {
      await problem(await dispatch(cli.request('GET', '/api/auth/session', undefined, { authorization: `Bearer ${cli.accessToken}` })), 503, 'SERVICE_UNAVAILABLE')
      await problem(await dispatch(cli.request('POST', '/api/auth/logout', undefined, { authorization: `Bearer ${cli.accessToken}` })), 503, 'SERVICE_UNAVAILABLE')
    } finally {
      setKvForTests(app.kv)
    }
  })
})

describe('CSRF (§3)', () => {
  it('forwarded-host headers from the client cannot make a foreign origin look like ours', async () => {
    const user = await createUser(app.db)
    const response = await new TestClient().call('POST', '/api/auth/login', {
      body: { email: user.email, password: user.password },
      headers: { origin: 'https://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    })
    await problem(response, 403, 'CSRF_REJECTED')
    expect(response.headers.getSetCookie()).toEqual([])
  })

  it('rejects cookie-mode POSTs from another origin, or cross-site by Sec-Fetch-Site', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient()
    await signIn(browser, user.email, user.password)
    await problem(await browser.call('POST', '/api/auth/refresh', { headers: { origin: 'https://evil.example' } }), 403, 'CSRF_REJECTED')
    await problem(await browser.call('POST', '/api/auth/logout', { headers: { origin: 'null' } }), 403, 'CSRF_REJECTED')
    await problem(await browser.call('POST', '/api/auth/logout', { headers: { 'origin-omit': '1', 'sec-fetch-site': 'cross-site' } }), 403, 'CSRF_REJECTED')
    await problem(await browser.call('POST', '/api/auth/login', { body: { email: user.email, password: user.password }, headers: { origin: 'http://localhost:4000' } }), 403, 'CSRF_REJECTED')
    // The session survived all of that.
    expect((await browser.call('GET', '/api/auth/session')).status).toBe(200)
  })

  it('does not check bearer-mode requests (no cookies to ride)', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient({ 'user-agent': 'nj-cli/1.0', origin: 'https://elsewhere.example' })
    expect((await cli.login(user.email, user.password)).status).toBe(200)
    expect((await cli.refresh()).status).toBe(200)
  })
})

describe('bad input on every endpoint never answers 5xx', () => {
  const endpoints = ['/api/auth/register', '/api/auth/login', '/api/auth/refresh', '/api/auth/logout']
  const huge = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(17 * 1024) })

  it.each(endpoints)('%s: malformed JSON → 400, wrong content type → 415, huge body → 413', async (path) => {
    const client = new TestClient()
    const malformed = await problem(await client.call('POST', path, { raw: '{"email": ', headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED')
    expect(malformed.errors).toHaveProperty('body')
    await problem(await client.call('POST', path, { raw: 'email=a@b.c', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    await problem(await client.call('POST', path, { raw: huge, headers: { 'content-type': 'application/json' } }), 413, 'PAYLOAD_TOO_LARGE')
    await problem(await client.call('POST', path, { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED')
  })

  // The body past 16 KiB is never read, so a client must not send another request on that
  // connection: a keep-alive client that did met a reset (the scale suite's fuzz, issue 10).
  it.each(endpoints)('%s: a 413 closes the connection, declared or streamed', async (path) => {
    const declared = await new TestClient().call('POST', path, { raw: huge, headers: { 'content-type': 'application/json', 'content-length': String(huge.length) } })
    await problem(declared, 413, 'PAYLOAD_TOO_LARGE')
    expect(declared.headers.get('connection')).toBe('close')
    // No Content-Length on the Request: counted while streaming.
    const streamed = await new TestClient().call('POST', path, { raw: huge, headers: { 'content-type': 'application/json' } })
    await problem(streamed, 413, 'PAYLOAD_TOO_LARGE')
    expect(streamed.headers.get('connection')).toBe('close')
  })

  it.each([
    ['/api/auth/register', { email: 42, password: ['x'], name: {} }, ['email', 'password', 'name']],
    ['/api/auth/login', { email: null, password: 5, rememberMe: 'yes', transport: 'carrier-pigeon' }, ['email', 'password', 'rememberMe', 'transport']],
    ['/api/auth/login', { email: 'not-an-email', password: 'abcdefghijk' }, ['email']],
    ['/api/auth/login', { email: 'a@b.c\r\nBcc: x@y.z', password: 'abcdefghijk' }, ['email']],
    ['/api/auth/refresh', { refreshToken: 12 }, ['refreshToken']],
    ['/api/auth/login', [1, 2, 3], ['body']],
    ['/api/auth/register', 'just a string', ['body']],
  ] as const)('%s with wrong types → 400 with per-field errors', async (path, body, fields) => {
    const response = await new TestClient().call('POST', path, { body })
    const result = await problem(response, 400, 'VALIDATION_FAILED')
    expect(Object.keys(result.errors!).sort()).toEqual([...fields].sort())
  })

  it('garbage tokens in cookies and headers are 401s, not 500s', async () => {
    const garbage = ['', 'a.b.c', 'eyJ.eyJ.sig', '%%%', 'x'.repeat(5000), 'null']
    for (const token of garbage) {
      const client = new TestClient()
      client.cookies.set('njjwt-rt', token)
      client.cookies.set('njjwt-at', token)
      const refresh = await client.call('POST', '/api/auth/refresh')
      expect(refresh.status).toBe(401)
      const me = await client.call('GET', '/api/me', { headers: { authorization: `Bearer ${token}` } })
      expect(me.status).toBe(401)
    }
  })

  it('unknown API paths answer 404 problem+json', async () => {
    await problem(await new TestClient().call('GET', '/api/auth/nope'), 404, 'NOT_FOUND')
    await problem(await new TestClient().call('DELETE', '/api/does/not/exist'), 404, 'NOT_FOUND')
  })
})
