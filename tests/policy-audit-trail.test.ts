import { decodeJwt } from 'jose'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { refreshTokens, sessions } from '@/lib/store/schema'
import { BearerClient, CLI_HEADERS, TestClient, connectingFrom, expectProblem, json, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'
import type { z } from 'zod'
import type { AuditAnswer } from '@/lib/http/api-schemas'

// SPEC §8: one person's life, scripted, read back through GET /api/admin/audit as an admin,
// event by event: who (userId), which session, from where (ip), which token type and jti.
// Token values are never stored (§2); the last step searches every row for them.
const app = setupTestApp()

const HOME = '192.0.2.70'
const THIEF = '198.51.100.70'
const EMAIL = 'lifecycle@example.test'
const FIRST_PASSWORD = 'first-password-123'
const SECOND_PASSWORD = 'second-password-456'

type AuditItem = z.infer<typeof AuditAnswer>['items'][number]
/** An audit row as the steps compare it; `reason` is detail.reason where there is one (session_revoked, login_failed). */
type Row = { event: string; sessionId: string | null; tokenType: string | null; jti: string | null; ip: string | null; reason?: unknown }

const row = (event: string, sessionId: string | null, tokenType: 'access' | 'refresh' | null, jti: string | null, ip: string | null, reason?: string): Row => ({
  event,
  sessionId,
  tokenType,
  jti,
  ip,
  ...(reason ? { reason } : {}),
})
const claimsOf = (token: string) => decodeJwt(token) as { sid: string; jti: string }

// State the steps share: the admin reading the log, the person, every token value seen.
const admin = new BearerClient()
let userId = ''
let lastSeenId = 0n
let now = Date.parse('2026-01-05T09:00:00Z')
const seenTokens = new Set<string>()
const cli = new BearerClient(connectingFrom(HOME, CLI_HEADERS))

function remember(...tokens: Array<string | undefined>) {
  for (const token of tokens) if (token) seenTokens.add(token)
}

async function readAll(query: string): Promise<AuditItem[]> {
  const items: AuditItem[] = []
  let cursor: string | null = null
  do {
    const response = await admin.get(`/api/admin/audit?limit=200&${query}${cursor ? `&cursor=${cursor}` : ''}`)
    expect(response.status).toBe(200)
    const page: { items: AuditItem[]; nextCursor: string | null } = await json(response)
    items.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  return items
}

/** The person's audit rows written since the previous call, oldest first (the API answers newest first). */
async function newEvents(): Promise<Row[]> {
  const items = (await readAll(`userId=${userId}`)).filter((e) => BigInt(e.id) > lastSeenId).reverse()
  if (items.length > 0) lastSeenId = BigInt(items.at(-1)!.id)
  for (const item of items) expect(item.userId).toBe(userId)
  return items.map(({ event, sessionId, tokenType, jti, ip, detail }) => ({ event, sessionId, tokenType, jti, ip, ...(detail.reason ? { reason: detail.reason } : {}) }))
}

describe('§8 the audit trail of one lifecycle: register, login, refresh, reuse attempt, logout, password change', () => {
  beforeAll(async () => {
    const boss = await createUser(app.db, { role: 'admin' })
    expect((await admin.login(boss.email, boss.password)).status).toBe(200)
    remember(admin.accessToken, admin.refreshToken)
  })
  beforeEach(() => {
    startFakeClock(now)
  })
  afterEach(() => {
    now = Date.now()
  })

  it('1. register: register, with the address and no session or token', async () => {
    const response = await new TestClient(connectingFrom(HOME)).call('POST', '/api/auth/register', { body: { email: EMAIL, password: FIRST_PASSWORD } })
    expect(response.status).toBe(201)
    userId = (await json<{ user: { id: string } }>(response)).user.id
    expect(await newEvents()).toEqual([row('register', null, null, null, HOME)])
  })

  it('2. a wrong password: login_failed, no session', async () => {
    await expectProblem(await new TestClient(connectingFrom(HOME)).call('POST', '/api/auth/login', { body: { email: EMAIL, password: 'not-the-password' } }), 401, 'INVALID_CREDENTIALS')
    expect(await newEvents()).toEqual([row('login_failed', null, null, null, HOME, 'wrong_password')])
  })

  it('3. login: login_succeeded, then token_issued for the access and the refresh token by jti', async () => {
    expect((await cli.login(EMAIL, FIRST_PASSWORD)).status).toBe(200)
    remember(cli.accessToken, cli.refreshToken)
    const access = claimsOf(cli.accessToken)
    const refresh = claimsOf(cli.refreshToken)
    expect(await newEvents()).toEqual([
      row('login_succeeded', access.sid, null, null, HOME),
      row('token_issued', access.sid, 'access', access.jti, HOME),
      row('token_issued', access.sid, 'refresh', refresh.jti, HOME),
    ])
  })

  let stolen = ''
  it('4. refresh: token_refreshed names the used refresh token; the successors are token_issued', async () => {
    now += 15 * 60 * 1000
    startFakeClock(now)
    stolen = cli.refreshToken
    const used = claimsOf(stolen)
    expect((await cli.refresh()).status).toBe(200)
    remember(cli.accessToken, cli.refreshToken)
    expect(await newEvents()).toEqual([
      row('token_refreshed', used.sid, 'refresh', used.jti, HOME),
      row('token_issued', used.sid, 'access', claimsOf(cli.accessToken).jti, HOME),
      row('token_issued', used.sid, 'refresh', claimsOf(cli.refreshToken).jti, HOME),
    ])
  })

  it("5. a reuse attempt from the thief's address: refresh_reuse_detected with the reused jti, then session_revoked", async () => {
    now += 11 * 1000
    startFakeClock(now)
    const thief = new BearerClient(connectingFrom(THIEF, CLI_HEADERS))
    await expectProblem(await thief.refresh({ refreshToken: stolen, deviceId: 'thief-device-00000000001' }), 401, 'REFRESH_TOKEN_REUSED')
    const reused = claimsOf(stolen)
    expect(await newEvents()).toEqual([row('refresh_reuse_detected', reused.sid, 'refresh', reused.jti, THIEF), row('session_revoked', reused.sid, null, null, THIEF, 'refresh_reuse')])
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
  })

  it('6. login again and logout: session_revoked, logout and token_revoked naming the access token', async () => {
    expect((await cli.login(EMAIL, FIRST_PASSWORD)).status).toBe(200)
    remember(cli.accessToken, cli.refreshToken)
    const access = claimsOf(cli.accessToken)
    await newEvents() // the sign-in, as in step 3
    const logout = await cli.call('POST', '/api/auth/logout')
    expect(logout.status).toBe(200)
    expect(await newEvents()).toEqual([
      row('session_revoked', access.sid, null, null, HOME, 'logout'),
      row('logout', access.sid, 'access', access.jti, HOME),
      row('token_revoked', access.sid, 'access', access.jti, HOME),
    ])
  })

  it('7. password change with another device signed in: the other session revoked, password_changed, and the new pair issued', async () => {
    const laptop = new TestClient(connectingFrom('192.0.2.71'))
    await signIn(laptop, EMAIL, FIRST_PASSWORD)
    remember(laptop.cookies.get('njjwt-at'), laptop.cookies.get('njjwt-rt'))
    expect((await cli.login(EMAIL, FIRST_PASSWORD)).status).toBe(200)
    remember(cli.accessToken, cli.refreshToken)
    await newEvents() // two sign-ins
    const here = claimsOf(cli.refreshToken).sid
    const laptopSid = claimsOf(laptop.cookies.get('njjwt-rt')!).sid
    now += 60 * 1000
    startFakeClock(now)

    const response = await cli.call('POST', '/api/auth/password', { currentPassword: FIRST_PASSWORD, newPassword: SECOND_PASSWORD })
    expect(response.status).toBe(200)
    const issued = await json<{ accessToken: string; refreshToken: string }>(response)
    remember(issued.accessToken, issued.refreshToken)
    expect(await newEvents()).toEqual([
      row('session_revoked', laptopSid, null, null, HOME, 'password_changed'),
      row('password_changed', here, null, null, HOME),
      row('token_issued', here, 'access', claimsOf(issued.accessToken).jti, HOME),
      row('token_issued', here, 'refresh', claimsOf(issued.refreshToken).jti, HOME),
    ])
  })

  it('8. the old password fails and the new one signs in', async () => {
    await expectProblem(await new TestClient(connectingFrom(HOME)).call('POST', '/api/auth/login', { body: { email: EMAIL, password: FIRST_PASSWORD } }), 401, 'INVALID_CREDENTIALS')
    expect((await cli.login(EMAIL, SECOND_PASSWORD)).status).toBe(200)
    remember(cli.accessToken, cli.refreshToken)
    expect((await newEvents()).map((e) => e.event)).toEqual(['login_failed', 'login_succeeded', 'token_issued', 'token_issued'])
  })

  it('no token value, nor any part of its signature, nor a password, is stored in any audit row or session row', async () => {
    expect(seenTokens.size).toBeGreaterThanOrEqual(14)
    const secrets = [...seenTokens].flatMap((token) => [token, token.split('.')[2]!])
    secrets.push(FIRST_PASSWORD, SECOND_PASSWORD)
    const everything = await readAll('')
    expect(everything.length).toBeGreaterThan(20)
    for (const item of everything) {
      const text = JSON.stringify(item)
      for (const secret of secrets) expect(text.includes(secret), `audit row ${item.id} (${item.event}) contains a secret`).toBe(false)
      expect(text).not.toMatch(/eyJ[\w-]+\.eyJ/)
    }
    const stored = JSON.stringify([await app.db.select().from(sessions), await app.db.select().from(refreshTokens)])
    for (const secret of secrets) expect(stored.includes(secret)).toBe(false)
  })
})
