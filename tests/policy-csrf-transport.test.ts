import { decodeJwt } from 'jose'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { sessions } from '@/lib/store/schema'
import { TestClient, expectProblem, json, signIn } from './support/client'
import { createUser, setupTestApp } from './support/harness'

// SPEC §3 and §4 step 1: which transport a request uses decides whether it is CSRF-checked, so
// a cross-site request must not be able to claim bearer mode and still act on cookies, and the
// CSRF check comes before anything is read from the body.
const app = setupTestApp()
const EVIL = { origin: 'https://evil.example' }

async function victimSignedIn() {
  const user = await createUser(app.db)
  const victim = new TestClient()
  expect((await signIn(victim, user.email, user.password)).response.status).toBe(200)
  return { user, victim, sid: decodeJwt(victim.cookies.get('njjwt-rt')!).sid as string }
}

async function expectStillSignedIn(victim: TestClient, sid: string) {
  expect((await victim.call('GET', '/api/me', { gate: true })).status).toBe(200)
  const [row] = await app.db.select().from(sessions).where(eq(sessions.id, sid))
  expect(row!.revokedAt).toBeNull()
}

describe('§3 logout: a request that claims bearer mode reads no cookies', () => {
  it('a cross-site JSON post with a made-up refreshToken and the victim’s cookies signs nobody out', async () => {
    const { victim, sid } = await victimSignedIn()
    const response = await victim.call('POST', '/api/auth/logout', { body: { refreshToken: 'made.up.token' }, headers: EVIL })
    expect(response.status).toBe(200) // idempotent: nothing to end, nothing said
    expect(response.headers.getSetCookie()).toEqual([])
    await expectStillSignedIn(victim, sid)
  })

  it('a cross-site post in cookie mode is refused', async () => {
    const { victim, sid } = await victimSignedIn()
    await expectProblem(await victim.call('POST', '/api/auth/logout', { headers: EVIL }), 403, 'CSRF_REJECTED')
    await expectStillSignedIn(victim, sid)
  })

  it('the same bearer-mode logout from this site ends only the session its token names', async () => {
    const { victim, sid } = await victimSignedIn()
    const other = await victimSignedIn()
    const response = await victim.call('POST', '/api/auth/logout', { body: { refreshToken: other.victim.cookies.get('njjwt-rt') } })
    expect(await json(response)).toEqual({ loggedOut: true })
    await expectStillSignedIn(victim, sid)
    await expectProblem(await other.victim.call('GET', '/api/me', { gate: true }), 401, 'ACCESS_TOKEN_REVOKED')
  })
})

const FORMS: Array<[string, string, string | undefined]> = [
  ['a form post', 'application/x-www-form-urlencoded', 'refreshToken=x'],
  ['a multipart form post', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n'],
  ['a text/plain post (JSON in disguise)', 'text/plain', '{"refreshToken":"x"}'],
  ['a post without a body', '', undefined],
]

describe('§4 step 1: CSRF is checked before the body is read', () => {
  it.each(FORMS)('refresh: %s from another site is 403 CSRF_REJECTED, not 415', async (_name, type, raw) => {
    const { victim, sid } = await victimSignedIn()
    const headers = { ...EVIL, ...(type ? { 'content-type': type } : {}) }
    await expectProblem(await victim.call('POST', '/api/auth/refresh', { raw, headers }), 403, 'CSRF_REJECTED')
    await expectStillSignedIn(victim, sid)
  })

  it.each(FORMS)('login and logout: %s from another site is 403 CSRF_REJECTED', async (_name, type, raw) => {
    const { user, victim, sid } = await victimSignedIn()
    const headers = { ...EVIL, ...(type ? { 'content-type': type } : {}) }
    await expectProblem(await victim.call('POST', '/api/auth/logout', { raw, headers }), 403, 'CSRF_REJECTED')
    await expectProblem(await new TestClient().call('POST', '/api/auth/login', { raw: raw ?? `email=${user.email}`, headers }), 403, 'CSRF_REJECTED')
    await expectStillSignedIn(victim, sid)
  })

  it('a form post from this site still gets the body’s own answer (415)', async () => {
    const { victim } = await victimSignedIn()
    await expectProblem(await victim.call('POST', '/api/auth/refresh', { raw: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE')
  })
})
