import { and, eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { auditEvents } from '@/lib/store/schema'
import { BearerClient, CLI_HEADERS, TestClient, connectingFrom, expectProblem, json, signIn } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §7 sessions: list your own (current flag, device label, IP, times, flags), revoke one,
// revoke all others. Someone else's session does not exist as far as you can tell.
const app = setupTestApp()

type SessionItem = { id: string; current: boolean; deviceLabel: string; ip: string | null; userAgent: string | null; createdAt: string; lastUsedAt: string; expiresAt: string; flags: string[] }

const CHROME_MAC = connectingFrom('192.0.2.31')
const FIREFOX_LINUX = connectingFrom('192.0.2.32', { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'accept-language': 'en' })

/** One person signed in on three devices: a Mac browser, a Linux browser and a CLI. */
async function personOnThreeDevices() {
  const user = await createUser(app.db)
  const mac = new TestClient(CHROME_MAC)
  const linux = new TestClient(FIREFOX_LINUX)
  await signIn(mac, user.email, user.password, { rememberMe: true })
  await signIn(linux, user.email, user.password)
  const cli = new BearerClient(connectingFrom('192.0.2.33', CLI_HEADERS))
  await cli.login(user.email, user.password)
  const sid = (client: TestClient) => decodeJwt(client.cookies.get('njjwt-rt')!).sid as string
  return { user, mac, linux, cli, ids: { mac: sid(mac), linux: sid(linux), cli: decodeJwt(cli.refreshToken).sid as string } }
}

async function listSessions(client: TestClient | BearerClient): Promise<SessionItem[]> {
  const response = client instanceof TestClient ? await client.call('GET', '/api/auth/sessions') : await client.call('GET', '/api/auth/sessions')
  expect(response.status).toBe(200)
  return (await json<{ sessions: SessionItem[] }>(response)).sessions
}

async function expectAlive(client: TestClient | BearerClient) {
  if (client instanceof TestClient) expect((await client.call('GET', '/api/me', { gate: true })).status).toBe(200)
  else expect((await client.get('/api/me')).status).toBe(200)
}

async function expectEnded(client: TestClient | BearerClient) {
  if (client instanceof TestClient) {
    await expectProblem(await client.call('GET', '/api/me', { gate: true }), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await client.call('POST', '/api/auth/refresh'), 401, 'SESSION_REVOKED')
  } else {
    await expectProblem(await client.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED')
    await expectProblem(await client.refresh(), 401, 'SESSION_REVOKED')
  }
}

describe('§7 GET /api/auth/sessions', () => {
  it('lists exactly {id, current, deviceLabel, ip, userAgent, createdAt, lastUsedAt, expiresAt, flags} for each own live session', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const { mac, ids } = await personOnThreeDevices()
    clock.advance(60)
    const sessions = await listSessions(mac)
    expect(sessions.map((s) => s.id).sort()).toEqual(Object.values(ids).sort())
    for (const session of sessions) {
      expect(Object.keys(session).sort()).toEqual(['createdAt', 'current', 'deviceLabel', 'expiresAt', 'flags', 'id', 'ip', 'lastUsedAt', 'userAgent'])
    }
    expect(sessions.find((s) => s.id === ids.mac)).toEqual({
      id: ids.mac,
      current: true,
      deviceLabel: 'Chrome on macOS',
      ip: '192.0.2.31',
      userAgent: CHROME_MAC['user-agent'],
      createdAt: '2026-01-05T09:00:00.000Z',
      lastUsedAt: '2026-01-05T09:00:00.000Z',
      expiresAt: '2026-02-04T09:00:00.000Z', // Remember me: 30 days
      flags: [],
    })
    expect(sessions.find((s) => s.id === ids.linux)).toMatchObject({ current: false, deviceLabel: 'Firefox on Linux', ip: '192.0.2.32', expiresAt: '2026-01-05T21:00:00.000Z' })
    expect(sessions.filter((s) => s.current)).toHaveLength(1)
  })

  it("the current flag follows the caller, and nobody sees another person's sessions", async () => {
    const { cli, ids } = await personOnThreeDevices()
    const stranger = await personOnThreeDevices()
    const fromCli = await listSessions(cli)
    expect(fromCli.filter((s) => s.current).map((s) => s.id)).toEqual([ids.cli])
    expect(fromCli.map((s) => s.id)).not.toContain(stranger.ids.mac)
  })

  it('lastUsedAt moves with a rotation; ended sessions are not listed', async () => {
    const clock = startFakeClock(Date.parse('2026-01-05T09:00:00Z'))
    const { mac, linux, ids } = await personOnThreeDevices()
    clock.advance(15 * 60)
    expect((await mac.call('POST', '/api/auth/refresh')).status).toBe(200)
    expect((await linux.call('POST', '/api/auth/logout')).status).toBe(200)
    const sessions = await listSessions(mac)
    expect(sessions.map((s) => s.id)).not.toContain(ids.linux)
    expect(sessions.find((s) => s.id === ids.mac)!.lastUsedAt).toBe('2026-01-05T09:15:00.000Z')
  })

  it('is 401 without a signed-in caller', async () => {
    await expectProblem(await new TestClient().call('GET', '/api/auth/sessions'), 401, 'UNAUTHENTICATED')
  })
})

describe('§7 DELETE /api/auth/sessions/{id}', () => {
  it('ends one own session: its access token is refused at once and its refresh token too; the others go on', async () => {
    const { user, mac, linux, cli, ids } = await personOnThreeDevices()
    const response = await mac.call('DELETE', `/api/auth/sessions/${ids.linux}`)
    expect(response.status).toBe(200)
    await expectEnded(linux)
    await expectAlive(mac)
    await expectAlive(cli)
    const audited = await app.db.select().from(auditEvents).where(and(eq(auditEvents.userId, user.id), eq(auditEvents.event, 'session_revoked')))
    expect(audited).toMatchObject([{ sessionId: ids.linux, detail: { reason: 'user' } }])
    // Gone is gone: a second delete finds nothing.
    await expectProblem(await mac.call('DELETE', `/api/auth/sessions/${ids.linux}`), 404, 'NOT_FOUND')
  })

  it('may end the current session itself', async () => {
    const { cli, ids } = await personOnThreeDevices()
    const response = await cli.call('DELETE', `/api/auth/sessions/${ids.cli}`)
    expect(await json(response)).toEqual({ revoked: true, current: true })
    await expectEnded(cli)
  })

  it("someone else's session is 404 NOT_FOUND, indistinguishable from one that never existed, and it keeps working", async () => {
    const attacker = await personOnThreeDevices()
    const victim = await personOnThreeDevices()
    const foreign = await expectProblem(await attacker.mac.call('DELETE', `/api/auth/sessions/${victim.ids.mac}`), 404, 'NOT_FOUND')
    const missing = await expectProblem(await attacker.mac.call('DELETE', '/api/auth/sessions/0190e3a0-0000-7000-8000-000000000000'), 404, 'NOT_FOUND')
    expect(foreign.detail).toBe(missing.detail)
    await expectProblem(await attacker.cli.call('DELETE', `/api/auth/sessions/${victim.ids.cli}`), 404, 'NOT_FOUND')
    await expectAlive(victim.mac)
    await expectAlive(victim.cli)
    expect((await victim.mac.call('POST', '/api/auth/refresh')).status).toBe(200)
    const audited = await app.db.select().from(auditEvents).where(and(eq(auditEvents.userId, victim.user.id), eq(auditEvents.event, 'session_revoked')))
    expect(audited).toEqual([])
  })

  it('odd ids are 404s, never 500s (NUL bytes: tests/policy-bad-input.test.ts)', async () => {
    const { mac } = await personOnThreeDevices()
    for (const id of ['%27%20OR%201%3D1--', 'x'.repeat(300), '..', '%E2%80%AE', '%25']) {
      expect((await mac.call('DELETE', `/api/auth/sessions/${id}`)).status).toBe(404)
    }
  })
})

describe('§7 POST /api/auth/sessions/revoke-others', () => {
  it('ends every other own session at once and keeps this one', async () => {
    const { user, mac, linux, cli, ids } = await personOnThreeDevices()
    const stranger = await personOnThreeDevices()
    const response = await mac.call('POST', '/api/auth/sessions/revoke-others')
    expect(await json(response)).toEqual({ revoked: 2 })
    await expectEnded(linux)
    await expectEnded(cli)
    await expectAlive(mac)
    expect((await listSessions(mac)).map((s) => s.id)).toEqual([ids.mac])
    await expectAlive(stranger.linux)
    const reasons = await app.db.select().from(auditEvents).where(and(eq(auditEvents.userId, user.id), eq(auditEvents.event, 'session_revoked')))
    expect(reasons.map((e) => [e.sessionId, e.detail.reason]).sort()).toEqual([[ids.cli, 'others_signed_out'], [ids.linux, 'others_signed_out']].sort())
  })
})
