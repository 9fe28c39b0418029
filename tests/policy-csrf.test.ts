import { eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { users } from '@/lib/store/schema'
import { BearerClient, TestClient, expectProblem, json, signIn } from './support/client'
import { createUser, setupTestApp } from './support/harness'

// SPEC §3: every cookie-mode POST/PATCH/DELETE is CSRF-checked, the session and admin endpoints
// of §7 included. A page on another site can make the victim's browser send these requests with
// the victim's cookies; the Origin (or Sec-Fetch-Site) header is what gives it away.
const app = setupTestApp()

const CROSS_SITE: Array<[string, Record<string, string>]> = [
  ['another origin', { origin: 'https://evil.example' }],
  ['another port of this host', { origin: 'http://localhost:4000' }],
  ['an opaque origin', { origin: 'null' }],
  ['no Origin, Sec-Fetch-Site cross-site', { 'origin-omit': '1', 'sec-fetch-site': 'cross-site' }],
  ['no Origin, Sec-Fetch-Site same-site (a sibling subdomain)', { 'origin-omit': '1', 'sec-fetch-site': 'same-site' }],
]

/** An admin victim signed in in a browser, with a second session and a target user to attack. */
async function scene() {
  const admin = await createUser(app.db, { role: 'admin' })
  const victim = new TestClient()
  await signIn(victim, admin.email, admin.password)
  const otherDevice = new BearerClient()
  await otherDevice.login(admin.email, admin.password)
  const target = await createUser(app.db)
  const targetCli = new BearerClient()
  await targetCli.login(target.email, target.password)
  return { admin, victim, otherDevice, target, targetCli, otherSid: decodeJwt(otherDevice.refreshToken).sid as string }
}

type Scene = Awaited<ReturnType<typeof scene>>
const ENDPOINTS: Array<[string, (s: Scene) => [string, string, unknown]]> = [
  ['POST /api/auth/password', (s) => ['POST', '/api/auth/password', { currentPassword: s.admin.password, newPassword: 'attacker-chosen-password' }]],
  ['DELETE /api/auth/sessions/{id}', (s) => ['DELETE', `/api/auth/sessions/${s.otherSid}`, undefined]],
  ['POST /api/auth/sessions/revoke-others', () => ['POST', '/api/auth/sessions/revoke-others', undefined]],
  ['PATCH /api/admin/users/{id}', (s) => ['PATCH', `/api/admin/users/${s.target.id}`, { role: 'admin' }]],
  ['POST /api/admin/users/{id}/revoke-sessions', (s) => ['POST', `/api/admin/users/${s.target.id}/revoke-sessions`, undefined]],
]

describe('§3 CSRF on the cookie-mode session and admin endpoints', () => {
  it.each(ENDPOINTS)('%s from another site is 403 CSRF_REJECTED and changes nothing', async (_name, build) => {
    const s = await scene()
    const [method, path, body] = build(s)
    for (const [, headers] of CROSS_SITE) {
      await expectProblem(await s.victim.call(method, path, { body, headers }), 403, 'CSRF_REJECTED')
      await expectProblem(await s.victim.call(method, path, { body, headers, gate: true }), 403, 'CSRF_REJECTED')
    }
    // Nothing happened: the password, the sessions and the target's role are as they were.
    expect((await new TestClient().call('POST', '/api/auth/login', { body: { email: s.admin.email, password: s.admin.password } })).status).toBe(200)
    expect((await s.otherDevice.get('/api/me')).status).toBe(200)
    expect((await s.targetCli.get('/api/me')).status).toBe(200)
    expect((await app.db.select().from(users).where(eq(users.id, s.target.id)))[0]!.role).toBe('user')
    expect((await s.victim.call('GET', '/api/me', { gate: true })).status).toBe(200)
  })

  it.each(ENDPOINTS)('%s from this site itself works', async (_name, build) => {
    const s = await scene()
    const [method, path, body] = build(s)
    const response = await s.victim.call(method, path, { body })
    expect(response.status).toBe(200)
    // Without Origin, Sec-Fetch-Site same-origin is this site too.
    const s2 = await scene()
    const [method2, path2, body2] = build(s2)
    expect((await s2.victim.call(method2, path2, { body: body2, headers: { 'origin-omit': '1', 'sec-fetch-site': 'same-origin' } })).status).toBe(200)
  })

  it.each(ENDPOINTS)('%s in bearer mode is not CSRF-checked: it carries no cookies to ride', async (_name, build) => {
    const s = await scene()
    const [method, path, body] = build(s)
    const bearer = new BearerClient({ 'user-agent': 'nj-cli/1.0', origin: 'https://elsewhere.example' })
    await bearer.login(s.admin.email, s.admin.password)
    const response = await bearer.call(method, path, body)
    expect(response.status).toBe(200)
    await json(response)
  })
})
