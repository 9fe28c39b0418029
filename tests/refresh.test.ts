import { eq, sql } from 'drizzle-orm'
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { getKeySet } from '@/lib/auth/keys'
import { auditEvents, sessions, users } from '@/lib/store/schema'
import { BearerClient, TestClient, json } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §4, one describe per step, on a fake clock. Access 15m, refresh 7d, grace 10s,
// refresh window 120s, min interval 30s (tests/support/harness.ts TEST_ENV).
const app = setupTestApp()

async function signedIn(extra: Record<string, unknown> = {}) {
  const user = await createUser(app.db)
  const client = new BearerClient()
  const response = await client.login(user.email, user.password, extra)
  expect(response.status).toBe(200)
  return { user, client }
}

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  return json<{ code: string; status: number; type: string }>(response)
}

describe('§4 step 2: the refresh token itself', () => {
  it('answers REFRESH_TOKEN_MISSING without a token', async () => {
    const browser = new TestClient()
    const response = await browser.call('POST', '/api/auth/refresh')
    expect(response.status).toBe(401)
    expect((await problem(response)).code).toBe('REFRESH_TOKEN_MISSING')
  })

  it('rejects a tampered token (payload changed, signature kept)', async () => {
    const { client } = await signedIn()
    const [header, payload, signature] = client.refreshToken.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86400 * 365 })).toString('base64url')
    const response = await client.refresh({ refreshToken: `${header}.${forged}.${signature}` })
    expect((await problem(response)).code).toBe('REFRESH_TOKEN_INVALID')
  })

  it('rejects alg "none" and HS256 signed with the public key (algorithm confusion)', async () => {
    const { client } = await signedIn()
    const claims = decodeJwt(client.refreshToken)
    const { kid } = decodeProtectedHeader(client.refreshToken)
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'rt+jwt', kid })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`
    expect((await problem(await client.refresh({ refreshToken: none }))).code).toBe('REFRESH_TOKEN_INVALID')

    const publicJwk = (await getKeySet()).publicJwks[0]!
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'rt+jwt', kid })
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)))
    expect((await problem(await client.refresh({ refreshToken: hs256 }))).code).toBe('REFRESH_TOKEN_INVALID')
    // The genuine token still works: the forgeries changed nothing.
    expect((await client.refresh()).status).toBe(200)
  })

  it('rejects an access token presented as a refresh token', async () => {
    const { client } = await signedIn()
    expect((await problem(await client.refresh({ refreshToken: client.accessToken }))).code).toBe('REFRESH_TOKEN_INVALID')
  })

  it('rejects a token of ours with another audience or issuer', async () => {
    const { client } = await signedIn()
    const keys = await getKeySet()
    const claims = decodeJwt(client.refreshToken)
    for (const override of [{ aud: 'someone-else' }, { iss: 'https://evil.example' }]) {
      const token = await new SignJWT({ ...claims, ...override })
        .setProtectedHeader({ alg: 'ES256', typ: 'rt+jwt', kid: keys.signing.kid })
        .sign(keys.signing.privateKey)
      expect((await problem(await client.refresh({ refreshToken: token }))).code).toBe('REFRESH_TOKEN_INVALID')
    }
  })

  it('answers REFRESH_TOKEN_EXPIRED after its lifetime, and signing in again works', async () => {
    const clock = startFakeClock()
    const { user, client } = await signedIn({ rememberMe: true })
    clock.advance(7 * 86400 + 1)
    const response = await client.refresh()
    expect(response.status).toBe(401)
    expect((await problem(response)).code).toBe('REFRESH_TOKEN_EXPIRED')
    expect((await client.login(user.email, user.password)).status).toBe(200)
  })
})

describe('§4 step 3: the session', () => {
  it('answers SESSION_REVOKED for a session that was signed out', async () => {
    const { client } = await signedIn()
    const copy = client.refreshToken
    const logout = await new TestClient().call('POST', '/api/auth/logout', { headers: { authorization: `Bearer ${client.accessToken}` } })
    expect(logout.status).toBe(200)
    expect((await problem(await client.refresh({ refreshToken: copy }))).code).toBe('SESSION_REVOKED')
  })

  it('answers SESSION_EXPIRED past the absolute lifetime, and no token outlives it', async () => {
    const clock = startFakeClock()
    const { client } = await signedIn({ rememberMe: false }) // 12h browser session
    const sessionEnd = decodeJwt(client.refreshToken).iat! + 12 * 3600
    clock.advance(11 * 3600 + 59 * 60)
    expect((await client.refresh()).status).toBe(200)
    expect(decodeJwt(client.refreshToken).exp).toBeLessThanOrEqual(sessionEnd)
    expect(decodeJwt(client.accessToken).exp).toBeLessThanOrEqual(sessionEnd)
    // Force the database clock past the end while the token itself is still within its exp.
    const sid = decodeJwt(client.refreshToken).sid as string
    await app.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, sid))
    expect((await problem(await client.refresh())).code).toBe('SESSION_EXPIRED')
  })
})

describe('§4 step 4: rotation state', () => {
  it('rotates the current token once its access token is due', async () => {
    const clock = startFakeClock()
    const { client } = await signedIn()
    const before = { access: client.accessToken, refresh: client.refreshToken }
    clock.advance(15 * 60)
    const response = await client.refresh({ withAccess: true })
    expect(response.status).toBe(200)
    const body = await json<{ rotated: boolean; session: Record<string, string> }>(response)
    expect(body.rotated).toBe(true)
    expect(client.accessToken).not.toBe(before.access)
    expect(client.refreshToken).not.toBe(before.refresh)
    expect(Object.keys(body.session).sort()).toEqual(['accessTokenExpiresAt', 'expiresAt', 'id', 'refreshTokenExpiresAt', 'rememberMe'])
    expect((await client.get('/api/me')).status).toBe(200)
  })

  it('replays within the grace answer the very same successor tokens', async () => {
    const clock = startFakeClock()
    const { client } = await signedIn()
    const used = client.refreshToken
    expect((await client.refresh()).status).toBe(200)
    const successor = { access: client.accessToken, refresh: client.refreshToken }
    clock.advance(9)
    const replay = await client.refresh({ refreshToken: used })
    expect(replay.status).toBe(200)
    const body = await json<{ accessToken: string; refreshToken: string }>(replay)
    expect(body.accessToken).toBe(successor.access)
    expect(body.refreshToken).toBe(successor.refresh)
    expect((await client.get('/api/me')).status).toBe(200)
  })

  it('a replay after the grace revokes the whole session and its live access token', async () => {
    const clock = startFakeClock()
    const { user, client } = await signedIn()
    const stolen = client.refreshToken
    expect((await client.refresh()).status).toBe(200)
    expect((await client.get('/api/me')).status).toBe(200)
    clock.advance(11)
    const attack = await client.refresh({ refreshToken: stolen })
    expect(attack.status).toBe(401)
    expect((await problem(attack)).code).toBe('REFRESH_TOKEN_REUSED')
    // The legitimate holder's tokens die too: the family is burned (RFC 9700 §4.14.2).
    const me = await client.get('/api/me')
    expect(me.status).toBe(401)
    expect((await problem(me)).code).toBe('ACCESS_TOKEN_REVOKED')
    expect((await problem(await client.refresh())).code).toBe('SESSION_REVOKED')
    const events = await app.db.select().from(auditEvents).where(eq(auditEvents.userId, user.id))
    expect(events.map((e) => e.event)).toContain('refresh_reuse_detected')
  })

  it('a grandparent token is reuse even within the grace', async () => {
    startFakeClock()
    const { client } = await signedIn({})
    await app.db.update(users).set({ role: 'user' })
    const first = client.refreshToken
    expect((await client.refresh()).status).toBe(200)
    // A second rotation needs the interval to pass; move the session's last rotation back instead.
    await app.db.update(sessions).set({ lastRotatedAt: new Date(Date.now() - 60_000) })
    expect((await client.refresh()).status).toBe(200)
    expect((await problem(await client.refresh({ refreshToken: first }))).code).toBe('REFRESH_TOKEN_REUSED')
  })
})

describe('§4 step 5: binding to the device', () => {
  it('a refresh from another device id revokes the session', async () => {
    const { client } = await signedIn()
    const response = await client.refresh({ deviceId: 'another-device-id-123456' })
    expect((await problem(response)).code).toBe('DEVICE_MISMATCH')
    expect((await client.get('/api/me')).status).toBe(401)
    expect((await problem(await client.refresh())).code).toBe('SESSION_REVOKED')
  })
})

describe('§4 step 6: not yet due', () => {
  it('issues nothing while the access token has more than the refresh window left', async () => {
    const clock = startFakeClock()
    const { client } = await signedIn()
    const before = { access: client.accessToken, refresh: client.refreshToken }
    clock.advance(60)
    const response = await client.refresh({ withAccess: true })
    expect(response.status).toBe(200)
    const body = await json<Record<string, unknown>>(response)
    expect(body.rotated).toBe(false)
    expect(body).not.toHaveProperty('accessToken')
    expect(body).not.toHaveProperty('refreshToken')
    expect(client.refreshToken).toBe(before.refresh)
    // Inside the window it rotates.
    clock.advance(15 * 60 - 60 - 119)
    const due = await json<{ rotated: boolean }>(await client.refresh({ withAccess: true }))
    expect(due.rotated).toBe(true)
  })
})

describe('§4 step 7: one rotation per session per interval', () => {
  it('answers 429 RATE_LIMITED with Retry-After for a second rotation within 30s', async () => {
    const clock = startFakeClock()
    const { client } = await signedIn()
    expect((await client.refresh()).status).toBe(200)
    clock.advance(12) // past the reuse grace, within the interval
    const response = await client.refresh()
    expect(response.status).toBe(429)
    expect((await problem(response)).code).toBe('RATE_LIMITED')
    expect(Number(response.headers.get('retry-after'))).toBe(18)
    clock.advance(18)
    expect((await client.refresh()).status).toBe(200)
  })
})

describe('§4 step 8: rotation', () => {
  it('takes role and permissions fresh from the database', async () => {
    const clock = startFakeClock()
    const { user, client } = await signedIn()
    expect(decodeJwt(client.accessToken).role).toBe('user')
    await app.db.update(users).set({ role: 'admin' }).where(eq(users.id, user.id))
    clock.advance(60)
    expect((await client.refresh()).status).toBe(200)
    const claims = decodeJwt(client.accessToken)
    expect(claims.role).toBe('admin')
    expect(claims.permissions).toContain('users:write')
  })

  it('20 parallel refreshes of one token: one rotation, one successor for all, no reuse alarm', async () => {
    const { user, client } = await signedIn()
    const responses = await Promise.all(Array.from({ length: 20 }, () => client.refresh()))
    const bodies = await Promise.all(responses.map((r) => json<{ refreshToken: string; accessToken: string }>(r)))
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect(new Set(bodies.map((b) => b.refreshToken)).size).toBe(1)
    expect(new Set(bodies.map((b) => b.accessToken)).size).toBe(1)
    const events = (await app.db.select().from(auditEvents).where(eq(auditEvents.userId, user.id))).map((e) => e.event)
    expect(events.filter((e) => e === 'token_refreshed')).toHaveLength(1)
    expect(events).not.toContain('refresh_reuse_detected')
    expect((await client.get('/api/me', bodies[0]!.accessToken)).status).toBe(200)
    if (app.backend.startsWith('postgres')) {
      // The requests really ran side by side on several connections of the pool, not one.
      const [row] = await app.db.select({ n: sql<number>`count(*)::int` }).from(sql`pg_stat_activity`).where(sql`datname = current_database()`)
      expect(row!.n).toBeGreaterThanOrEqual(4)
    }
  })
})

describe('cookie mode', () => {
  it('rotates through HttpOnly cookies and the JSON carries no token', async () => {
    const clock = startFakeClock()
    const user = await createUser(app.db)
    const browser = new TestClient()
    const login = await browser.call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })
    const loginBody = await login.text()
    expect(loginBody).not.toMatch(/eyJ/)
    for (const line of login.headers.getSetCookie()) {
      expect(line).toMatch(/HttpOnly/)
      expect(line).toMatch(/SameSite=Lax/)
      expect(line).toMatch(/Path=\//)
    }
    const before = browser.cookies.get('njjwt-rt')
    clock.advance(15 * 60)
    const refreshed = await browser.call('POST', '/api/auth/refresh')
    expect(refreshed.status).toBe(200)
    expect(await refreshed.text()).not.toMatch(/eyJ/)
    expect(browser.cookies.get('njjwt-rt')).not.toBe(before)
  })
})
