import { expect, test as base, type APIRequestContext, type APIResponse } from '@playwright/test'
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose'
import { DEMO_ADMIN, DEMO_USER, credentials } from './support'

// The HTTP contract of SPEC §2, §3, §4, §6 and §7, exercised the way a client that knows only the
// spec would: plain requests, no browser. Runs against the e2e server of playwright.config.ts
// (access 20s, refresh 2m, reuse grace 2s, refresh window 10s, min rotation interval 1s), so no
// test here waits longer than ~3 s.
//
// Budget: every request below comes from 127.0.0.1 and the per-IP limits (refresh 60/min,
// register 10/h, login 100/15 min) are shared with the other e2e files. Keep refreshes under ~45
// and registrations under ~5; wrong passwords go to throwaway emails (5 failures per email+IP).

const USER = credentials(DEMO_USER)
const ADMIN = credentials(DEMO_ADMIN)
const EVIL = 'https://evil.example'
// One user agent for every client: a refresh from another one is a session anomaly (SPEC §5).
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 nj-jwt-api-contract'
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/
const RUN = Date.now().toString(36)

type Cookie = { name: string; value: string; attributes: Map<string, string> }

type Clients = {
  /** A fresh API client with its own cookie jar (a browser profile), sending this site's Origin. */
  client: (options?: { storageState?: Awaited<ReturnType<APIRequestContext['storageState']>> }) => Promise<APIRequestContext>
}

const test = base.extend<Clients>({
  client: async ({ playwright, baseURL }, provide) => {
    const made: APIRequestContext[] = []
    await provide(async (options = {}) => {
      const context = await playwright.request.newContext({
        baseURL,
        userAgent: USER_AGENT,
        extraHTTPHeaders: { origin: new URL(baseURL!).origin },
        storageState: options.storageState,
      })
      made.push(context)
      return context
    })
    await Promise.all(made.map((context) => context.dispose()))
  },
})

// Bearer-mode requests go through the built-in `request` fixture, with the same user agent.
test.use({ userAgent: USER_AGENT })

// ---------- helpers

function setCookies(res: APIResponse): Cookie[] {
  return res
    .headersArray()
    .filter((header) => header.name.toLowerCase() === 'set-cookie')
    .map((header) => {
      const [pair = '', ...rest] = header.value.split(';').map((part) => part.trim())
      const eq = pair.indexOf('=')
      const attributes = new Map<string, string>()
      for (const attribute of rest) {
        const at = attribute.indexOf('=')
        attributes.set((at < 0 ? attribute : attribute.slice(0, at)).toLowerCase(), at < 0 ? '' : attribute.slice(at + 1))
      }
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes }
    })
}

function typOf(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).typ
  } catch {
    return undefined
  }
}

/** The access, refresh and device-id cookies of a response, told apart by content (names are free). */
function tokenCookies(res: APIResponse) {
  const cookies = setCookies(res).filter((cookie) => cookie.value !== '')
  return {
    access: cookies.find((cookie) => typOf(cookie.value) === 'at+jwt'),
    refresh: cookies.find((cookie) => typOf(cookie.value) === 'rt+jwt'),
    device: cookies.find((cookie) => typOf(cookie.value) === undefined),
  }
}

async function expectProblem(res: APIResponse, status: number, code: string) {
  expect(res.status(), `${res.url()} → ${await res.text()}`).toBe(status)
  expect(res.headers()['content-type']).toMatch(/^application\/problem\+json/)
  const body = await res.json()
  expect(body).toMatchObject({
    type: expect.stringMatching(/^https?:\/\/[^/]+\/\S+/),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
  })
  expect(await res.text()).not.toMatch(/\n\s+at /)
  return body as { type: string; title: string; status: number; detail: string; code: string; errors?: unknown }
}

function expectUser(user: unknown, role: 'user' | 'admin') {
  expect(Object.keys(user as object).sort()).toEqual(['email', 'id', 'name', 'permissions', 'role'])
  expect(user).toMatchObject({ id: expect.any(String), email: expect.any(String), role, permissions: expect.any(Array) })
  const { permissions } = user as { permissions: string[] }
  if (role === 'user') expect([...permissions].sort()).toEqual(['profile:read', 'profile:write'])
  else expect(permissions).toEqual(expect.arrayContaining(['users:read', 'users:write', 'audit:read', 'profile:read', 'profile:write']))
}

function expectSession(session: unknown, rememberMe?: boolean) {
  expect(session).toMatchObject({
    id: expect.any(String),
    accessTokenExpiresAt: expect.stringMatching(ISO_UTC),
    refreshTokenExpiresAt: expect.stringMatching(ISO_UTC),
    expiresAt: expect.stringMatching(ISO_UTC),
    rememberMe: rememberMe ?? expect.any(Boolean),
  })
}

async function bearerLogin(request: APIRequestContext, who = USER) {
  const res = await request.post('/api/auth/login', { data: { ...who, transport: 'bearer' } })
  expect(res.status(), await res.text()).toBe(200)
  const body = await res.json()
  return { res, body, accessToken: body.accessToken as string, refreshToken: body.refreshToken as string, deviceId: body.deviceId as string }
}

function bearerRefresh(request: APIRequestContext, refreshToken: string, deviceId: string, accessToken?: string) {
  return request.post('/api/auth/refresh', {
    data: { refreshToken },
    headers: { 'x-device-id': deviceId, ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
  })
}

async function cookieLogin(client: APIRequestContext, body: Record<string, unknown> = {}) {
  const res = await client.post('/api/auth/login', { data: { ...USER, ...body } })
  expect(res.status(), await res.text()).toBe(200)
  return res
}

/** A second "browser" holding only the refresh and device cookies of `client` (the access cookie dropped). */
async function withoutAccessCookie(client: APIRequestContext, make: Clients['client']) {
  const state = await client.storageState()
  return make({ storageState: { ...state, cookies: state.cookies.filter((cookie) => typOf(cookie.value) !== 'at+jwt') } })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const claims = (token: string) => decodeJwt(token) as JWTPayload & Record<string, unknown>

// ---------- §7 sign-in and registration

test.describe('SPEC §7 and §3: signing in', () => {
  test('cookie mode: 200 {user, session}, tokens only in HttpOnly Lax cookies, none in the body', async ({ client }) => {
    const res = await cookieLogin(await client())
    const body = await res.json()
    expect(Object.keys(body).sort()).toEqual(['session', 'user'])
    expectUser(body.user, 'user')
    expectSession(body.session, false)
    expect(await res.text()).not.toMatch(JWT)

    const { access, refresh, device } = tokenCookies(res)
    for (const cookie of [access, refresh, device]) {
      expect(cookie, 'access, refresh and device-id cookies are set').toBeDefined()
      expect(cookie!.attributes.has('httponly')).toBe(true)
      expect(cookie!.attributes.get('samesite')?.toLowerCase()).toBe('lax')
      expect(cookie!.attributes.get('path')).toBe('/')
      // plain-http 127.0.0.1: not Secure (and so no __Host- prefix), or the browser would drop them
      expect(cookie!.attributes.has('secure')).toBe(false)
    }
    // no "Remember me": the refresh cookie lives as long as the browser session
    expect(refresh!.attributes.has('max-age')).toBe(false)
    expect(refresh!.attributes.has('expires')).toBe(false)
    expect(Number(device!.attributes.get('max-age'))).toBeGreaterThan(30 * 86_400)

    const access_ = claims(access!.value)
    const refresh_ = claims(refresh!.value)
    expect(body.session.id).toBe(access_.sid)
    expect(body.session.id).toBe(refresh_.sid)
    expect(Date.parse(body.session.accessTokenExpiresAt) / 1000).toBeCloseTo(access_.exp!, 0)
    expect(Date.parse(body.session.refreshTokenExpiresAt) / 1000).toBeCloseTo(refresh_.exp!, 0)
    expect(Date.parse(body.session.expiresAt) - Date.now()).toBeGreaterThan(11 * 3600_000) // AUTH_BROWSER_SESSION_MAX_AGE 12h
  })

  test('"Remember me": the refresh cookie gets a lifetime and the session says so', async ({ client }) => {
    const res = await cookieLogin(await client(), { rememberMe: true })
    const body = await res.json()
    expectSession(body.session, true)
    const { refresh } = tokenCookies(res)
    expect(refresh!.attributes.has('max-age') || refresh!.attributes.has('expires')).toBe(true)
    expect(Date.parse(body.session.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000) // AUTH_SESSION_MAX_AGE 30d
  })

  test('bearer mode: tokens and deviceId in the body, no cookies; ES256 JWTs with the §2 headers and claims', async ({ request }) => {
    const { res, body, accessToken, refreshToken, deviceId } = await bearerLogin(request)
    expect(setCookies(res)).toEqual([])
    expectUser(body.user, 'user')
    expectSession(body.session, false)
    expect(deviceId).toEqual(expect.any(String))

    const jwksRes = await request.get('/.well-known/jwks.json')
    expect(jwksRes.status()).toBe(200)
    const jwks = (await jwksRes.json()) as JSONWebKeySet
    expect(jwks.keys.length).toBeGreaterThan(0)
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', kid: expect.any(String) })
      expect(key).not.toHaveProperty('d')
    }
    const keySet = createLocalJWKSet(jwks)

    const accessHeader = decodeProtectedHeader(accessToken)
    expect(accessHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) })
    expect(jwks.keys.map((key) => key.kid)).toContain(accessHeader.kid)
    const { payload: access } = await jwtVerify(accessToken, keySet, { algorithms: ['ES256'], typ: 'at+jwt' })
    expect(Object.keys(access).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'permissions', 'role', 'sid', 'sub', 'type'])
    expect(access).toMatchObject({ type: 'access', role: 'user', sub: body.user.id, sid: body.session.id, permissions: body.user.permissions })
    expect(access.exp! - access.iat!).toBe(20) // AUTH_ACCESS_TTL of the e2e server

    expect(decodeProtectedHeader(refreshToken)).toMatchObject({ alg: 'ES256', typ: 'rt+jwt', kid: expect.any(String) })
    const { payload: refresh } = await jwtVerify(refreshToken, keySet, { algorithms: ['ES256'], typ: 'rt+jwt' })
    expect(Object.keys(refresh).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sid', 'sub', 'type'])
    expect(refresh).toMatchObject({ type: 'refresh', sub: body.user.id, sid: body.session.id })
    expect(refresh.jti).not.toBe(access.jti)
    expect(JSON.stringify([access, refresh])).not.toContain(USER.email)
  })

  test('the admin gets role admin with every permission', async ({ request }) => {
    const { body, accessToken } = await bearerLogin(request, ADMIN)
    expectUser(body.user, 'admin')
    expect(claims(accessToken)).toMatchObject({ role: 'admin', permissions: body.user.permissions })
  })

  test('wrong credentials: 401 INVALID_CREDENTIALS whose type URL is a page explaining the code', async ({ client, request }) => {
    const problem = await expectProblem(
      await (await client()).post('/api/auth/login', { data: { email: `nobody-${RUN}@example.com`, password: 'wrong-password-1' } }),
      401,
      'INVALID_CREDENTIALS',
    )
    const page = await request.get(problem.type)
    expect(page.status()).toBe(200)
    expect(await page.text()).toContain('INVALID_CREDENTIALS')
  })
})

test.describe('SPEC §7: registering', () => {
  test('201 {user}; duplicate (any case) → 409 EMAIL_TAKEN; short password → 400 with errors.password', async ({ client }) => {
    const api = await client()
    const email = `contract-${RUN}@example.com`
    const created = await api.post('/api/auth/register', { data: { email, password: 'contract-pass-1', name: 'Contract' } })
    expect(created.status(), await created.text()).toBe(201)
    const body = await created.json()
    expect(Object.keys(body)).toEqual(['user'])
    expectUser(body.user, 'user')
    expect(body.user).toMatchObject({ email, name: 'Contract' })

    await expectProblem(await api.post('/api/auth/register', { data: { email: email.toUpperCase(), password: 'contract-pass-2' } }), 409, 'EMAIL_TAKEN')

    const short = await expectProblem(
      await api.post('/api/auth/register', { data: { email: `short-${RUN}@example.com`, password: '123456789' } }),
      400,
      'VALIDATION_FAILED',
    )
    expect(JSON.stringify(short.errors)).toContain('password')

    const login = await api.post('/api/auth/login', { data: { email, password: 'contract-pass-1' } })
    expect(login.status()).toBe(200)
  })
})

test.describe('SPEC §7: bad input on every POST is a problem, never a 500', () => {
  const posts = ['/api/auth/login', '/api/auth/register', '/api/auth/refresh', '/api/auth/logout']
  for (const path of posts) {
    test(`${path}: > 16 KiB → 413, non-JSON → 415, malformed JSON → 400`, async ({ client }) => {
      const api = await client()
      const big = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(17 * 1024) })
      await expectProblem(await api.post(path, { data: big, headers: { 'content-type': 'application/json' } }), 413, 'PAYLOAD_TOO_LARGE')
      await expectProblem(await api.post(path, { data: 'email=a%40example.com', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE')
      await expectProblem(await api.post(path, { data: '{"email":', headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED')
    })
  }

  test('invalid fields → 400 VALIDATION_FAILED with per-field errors', async ({ client }) => {
    const api = await client()
    const missing = await expectProblem(await api.post('/api/auth/login', { data: { password: 'abcdefghijk' } }), 400, 'VALIDATION_FAILED')
    expect(JSON.stringify(missing.errors)).toContain('email')
    const wrongType = await expectProblem(await api.post('/api/auth/login', { data: { email: 'a@example.com', password: 'abcdefghijk', transport: 'pigeon' } }), 400, 'VALIDATION_FAILED')
    expect(JSON.stringify(wrongType.errors)).toContain('transport')
    await expectProblem(await api.post('/api/auth/login', { data: '[]', headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED')
  })
})

// ---------- §3 CSRF

test.describe('SPEC §3: CSRF on cookie-mode state changes', () => {
  test('a foreign Origin or Sec-Fetch-Site: cross-site → 403 CSRF_REJECTED; bearer mode is not checked', async ({ playwright, baseURL, client }) => {
    const foreign = await playwright.request.newContext({ baseURL, userAgent: USER_AGENT, extraHTTPHeaders: { origin: EVIL } })
    try {
      await expectProblem(await foreign.post('/api/auth/login', { data: USER }), 403, 'CSRF_REJECTED')
      await expectProblem(await foreign.post('/api/auth/register', { data: { email: `csrf-${RUN}@example.com`, password: 'abcdefghijk' } }), 403, 'CSRF_REJECTED')
      await expectProblem(await foreign.post('/api/auth/refresh'), 403, 'CSRF_REJECTED')
      const bearer = await foreign.post('/api/auth/login', { data: { ...USER, transport: 'bearer' } })
      expect(bearer.status()).toBe(200)
    } finally {
      await foreign.dispose()
    }

    // signed in, then a cross-site request carrying the cookies
    const api = await client()
    await cookieLogin(api)
    await expectProblem(await api.post('/api/auth/logout', { headers: { origin: EVIL } }), 403, 'CSRF_REJECTED')
    await expectProblem(await api.post('/api/auth/refresh', { headers: { origin: EVIL } }), 403, 'CSRF_REJECTED')
    const noOrigin = await playwright.request.newContext({ baseURL, userAgent: USER_AGENT, storageState: await api.storageState(), extraHTTPHeaders: { 'sec-fetch-site': 'cross-site' } })
    try {
      await expectProblem(await noOrigin.post('/api/auth/logout'), 403, 'CSRF_REJECTED')
    } finally {
      await noOrigin.dispose()
    }
    expect((await api.get('/api/me')).status(), 'the rejected logout did not sign out').toBe(200)
  })
})

// ---------- §7 reading the session, unknown paths, the admin gate

test.describe('SPEC §7 and §6: /api/me, /api/auth/session, unknown paths, admin gate', () => {
  test('/api/me → {user, claims}; /api/auth/session → {user, session}; in both transports', async ({ request, client }) => {
    const { accessToken } = await bearerLogin(request)
    const me = await request.get('/api/me', { headers: { authorization: `Bearer ${accessToken}` } })
    expect(me.status()).toBe(200)
    const meBody = await me.json()
    expect(Object.keys(meBody).sort()).toEqual(['claims', 'user'])
    expectUser(meBody.user, 'user')
    expect(meBody.claims).toEqual(claims(accessToken))

    const session = await request.get('/api/auth/session', { headers: { authorization: `Bearer ${accessToken}` } })
    expect(session.status()).toBe(200)
    const sessionBody = await session.json()
    expect(Object.keys(sessionBody).sort()).toEqual(['session', 'user'])
    expectSession(sessionBody.session, false)
    expect(sessionBody.session.id).toBe(claims(accessToken).sid)

    const api = await client()
    await cookieLogin(api)
    expect((await api.get('/api/me')).status()).toBe(200)
    const cookieSession = await api.get('/api/auth/session')
    expect(cookieSession.status()).toBe(200)
    expect(await cookieSession.text()).not.toMatch(JWT)
  })

  test('without or with a bad access token → 401 problem', async ({ request }) => {
    await expectProblem(await request.get('/api/me'), 401, 'UNAUTHENTICATED')
    await expectProblem(await request.get('/api/auth/session'), 401, 'UNAUTHENTICATED')
    await expectProblem(await request.get('/api/me', { headers: { authorization: 'Bearer not-a-jwt' } }), 401, 'ACCESS_TOKEN_INVALID')
    const { refreshToken } = await bearerLogin(request)
    await expectProblem(await request.get('/api/me', { headers: { authorization: `Bearer ${refreshToken}` } }), 401, 'ACCESS_TOKEN_INVALID')
  })

  test('unknown /api paths → 404 NOT_FOUND problem', async ({ request }) => {
    const { accessToken } = await bearerLogin(request)
    await expectProblem(await request.get('/api/no-such-thing', { headers: { authorization: `Bearer ${accessToken}` } }), 404, 'NOT_FOUND')
    await expectProblem(await request.get('/api/auth/no-such-thing'), 404, 'NOT_FOUND')
  })

  test('/api/admin/* as a plain user → 403 FORBIDDEN', async ({ request }) => {
    const { accessToken } = await bearerLogin(request)
    const auth = { authorization: `Bearer ${accessToken}` }
    await expectProblem(await request.get('/api/admin/users', { headers: auth }), 403, 'FORBIDDEN')
    await expectProblem(await request.get('/api/admin/audit', { headers: auth }), 403, 'FORBIDDEN')
    await expectProblem(await request.patch('/api/admin/users/someone', { headers: auth, data: { role: 'admin' } }), 403, 'FORBIDDEN')
  })
})

// ---------- §4 refresh

test.describe('SPEC §4: POST /api/auth/refresh', () => {
  test('step 2: missing → REFRESH_TOKEN_MISSING; malformed or an access token → REFRESH_TOKEN_INVALID', async ({ request, client }) => {
    await expectProblem(await (await client()).post('/api/auth/refresh'), 401, 'REFRESH_TOKEN_MISSING')
    const { accessToken, deviceId } = await bearerLogin(request)
    await expectProblem(await bearerRefresh(request, 'not.a.jwt', deviceId), 401, 'REFRESH_TOKEN_INVALID')
    await expectProblem(await bearerRefresh(request, accessToken, deviceId), 401, 'REFRESH_TOKEN_INVALID')
  })

  test('step 6: a valid access token with more than the window left → 200 {rotated: false}, nothing issued', async ({ request, client }) => {
    const { refreshToken, deviceId, accessToken } = await bearerLogin(request)
    const res = await bearerRefresh(request, refreshToken, deviceId, accessToken)
    expect(res.status()).toBe(200)
    const body = await res.json()
    expect(body.rotated).toBe(false)
    expectSession(body.session)
    expect(body).not.toHaveProperty('accessToken')
    expect(body).not.toHaveProperty('refreshToken')

    const api = await client()
    await cookieLogin(api)
    const cookieRes = await api.post('/api/auth/refresh')
    expect(cookieRes.status()).toBe(200)
    expect((await cookieRes.json()).rotated).toBe(false)
    expect(tokenCookies(cookieRes)).toMatchObject({ access: undefined, refresh: undefined })
  })

  test('step 8, cookie mode: {rotated: true, session}, new cookies, no tokens in the body', async ({ client }) => {
    const api = await client()
    const login = await cookieLogin(api)
    const before = tokenCookies(login)
    const tab = await withoutAccessCookie(api, client)
    const res = await tab.post('/api/auth/refresh')
    expect(res.status(), await res.text()).toBe(200)
    const body = await res.json()
    expect(Object.keys(body).sort()).toEqual(['rotated', 'session'])
    expect(body.rotated).toBe(true)
    expect(await res.text()).not.toMatch(JWT)
    const after = tokenCookies(res)
    expect(after.access?.value).toBeDefined()
    expect(after.refresh?.value).toBeDefined()
    expect(after.refresh!.value).not.toBe(before.refresh!.value)
    expect(after.refresh!.attributes.has('max-age')).toBe(false)
    expect(claims(after.access!.value).sid).toBe(claims(before.access!.value).sid)
    expect((await tab.get('/api/me')).status()).toBe(200)
  })

  test('step 4: a replay within the grace answers the same successor tokens (bearer and cookie)', async ({ request, client }) => {
    const { refreshToken, deviceId } = await bearerLogin(request)
    const first = await bearerRefresh(request, refreshToken, deviceId)
    expect(first.status(), await first.text()).toBe(200)
    const replay = await bearerRefresh(request, refreshToken, deviceId)
    expect(replay.status(), await replay.text()).toBe(200)
    const [a, b] = [await first.json(), await replay.json()]
    expect(a.rotated).toBe(true)
    expect(b.accessToken).toBe(a.accessToken)
    expect(b.refreshToken).toBe(a.refreshToken)

    // two tabs sending the same refresh cookie
    const api = await client()
    await cookieLogin(api)
    const [tabA, tabB] = [await withoutAccessCookie(api, client), await withoutAccessCookie(api, client)]
    const resA = await tabA.post('/api/auth/refresh')
    const resB = await tabB.post('/api/auth/refresh')
    expect([resA.status(), resB.status()]).toEqual([200, 200])
    expect(tokenCookies(resB).refresh?.value).toBe(tokenCookies(resA).refresh?.value)
    expect(tokenCookies(resB).access?.value).toBe(tokenCookies(resA).access?.value)
  })

  test('step 4: reuse after the grace → REFRESH_TOKEN_REUSED, the session is revoked and its live access token refused', async ({ request }) => {
    const { refreshToken, deviceId } = await bearerLogin(request)
    const bystander = await bearerLogin(request) // another session of the same user
    const rotated = await bearerRefresh(request, refreshToken, deviceId)
    expect(rotated.status(), await rotated.text()).toBe(200)
    const successor = await rotated.json()

    await sleep(2_500) // AUTH_REUSE_GRACE is 2s
    await expectProblem(await bearerRefresh(request, refreshToken, deviceId), 401, 'REFRESH_TOKEN_REUSED')
    await expectProblem(await request.get('/api/me', { headers: { authorization: `Bearer ${successor.accessToken}` } }), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await bearerRefresh(request, successor.refreshToken, deviceId), 401, 'SESSION_REVOKED')
    expect((await request.get('/api/me', { headers: { authorization: `Bearer ${bystander.accessToken}` } })).status()).toBe(200)
  })

  test('step 5: another device id → DEVICE_MISMATCH and the session is revoked', async ({ request }) => {
    const victim = await bearerLogin(request)
    const thief = await bearerLogin(request)
    await expectProblem(await bearerRefresh(request, victim.refreshToken, thief.deviceId), 401, 'DEVICE_MISMATCH')
    await expectProblem(await request.get('/api/me', { headers: { authorization: `Bearer ${victim.accessToken}` } }), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await bearerRefresh(request, victim.refreshToken, victim.deviceId), 401, 'SESSION_REVOKED')
  })

  test('step 7: a second rotation within AUTH_REFRESH_MIN_INTERVAL → 429 RATE_LIMITED with Retry-After', async ({ request }) => {
    const { refreshToken, deviceId } = await bearerLogin(request)
    const first = await bearerRefresh(request, refreshToken, deviceId)
    expect(first.status(), await first.text()).toBe(200)
    const limited = await bearerRefresh(request, (await first.json()).refreshToken, deviceId)
    await expectProblem(limited, 429, 'RATE_LIMITED')
    expect(limited.headers()['retry-after']).toMatch(/^[1-9]\d*$/)
  })

  test('step 8: 20 parallel refreshes of one token → all 200 with identical tokens', async ({ request }) => {
    const { refreshToken, deviceId } = await bearerLogin(request)
    const responses = await Promise.all(Array.from({ length: 20 }, () => bearerRefresh(request, refreshToken, deviceId)))
    expect(responses.map((res) => res.status())).toEqual(Array(20).fill(200))
    const bodies = await Promise.all(responses.map((res) => res.json()))
    expect(new Set(bodies.map((body) => body.accessToken)).size).toBe(1)
    expect(new Set(bodies.map((body) => body.refreshToken)).size).toBe(1)
    expect(bodies[0].rotated).toBe(true)
  })
})

// ---------- §6 / §7 logout

test.describe('SPEC §7 and §6: logout', () => {
  test('cookie mode: clears the cookies, the old access token is refused at once, logout again is fine', async ({ client }) => {
    const api = await client()
    const login = await cookieLogin(api)
    const stolen = await client({ storageState: await api.storageState() }) // a copy of the cookies from before
    const stolenRefreshOnly = await withoutAccessCookie(api, client)
    const { access, refresh } = tokenCookies(login)

    const res = await api.post('/api/auth/logout')
    expect(res.status()).toBeGreaterThanOrEqual(200)
    expect(res.status()).toBeLessThan(300)
    const cleared = setCookies(res).filter((cookie) => cookie.value === '' || cookie.attributes.get('max-age') === '0')
    expect(cleared.map((cookie) => cookie.name)).toEqual(expect.arrayContaining([access!.name, refresh!.name]))

    await expectProblem(await stolen.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
    const again = await stolen.post('/api/auth/logout')
    expect(again.status(), 'logout is idempotent').toBe(res.status())
    await expectProblem(await stolenRefreshOnly.post('/api/auth/refresh'), 401, 'SESSION_REVOKED')
  })

  test('bearer mode: the access token is refused at once, logout again is fine', async ({ request }) => {
    const { accessToken } = await bearerLogin(request)
    const auth = { authorization: `Bearer ${accessToken}` }
    const res = await request.post('/api/auth/logout', { headers: auth })
    expect(res.ok()).toBe(true)
    await expectProblem(await request.get('/api/me', { headers: auth }), 401, 'ACCESS_TOKEN_REVOKED')
    expect((await request.post('/api/auth/logout', { headers: auth })).ok()).toBe(true)
  })
})
