import { eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { issueDeviceId } from '@/lib/auth/device-id'
import { generateSigningJwk, importKeySet } from '@/lib/auth/keys'
import { sessions } from '@/lib/store/schema'
import { BearerClient, TestClient, expectProblem, json, signIn } from './support/client'
import { createUser, setupTestApp } from './support/harness'

// SPEC §5: the device id a session is bound to is one the server issued. A client cannot pick it:
// an id planted in a browser (or made up by a bearer client) is replaced at sign-in, so an attacker
// who knows the id cannot pre-arrange a device that later passes the binding check.
const [current, retired] = [await generateSigningJwk(), await generateSigningJwk()]
const app = setupTestApp({ AUTH_SIGNING_KEYS: JSON.stringify([current, retired]) })

async function deviceOf(refreshToken: string): Promise<string> {
  const [row] = await app.db.select({ deviceId: sessions.deviceId }).from(sessions).where(eq(sessions.id, decodeJwt(refreshToken).sid as string))
  return row!.deviceId
}

describe('§5 device ids are issued by the server', () => {
  it('a device cookie planted in the browser is not adopted at sign-in', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient()
    const planted = 'AttackerKnowsThisDeviceId0001'
    browser.cookies.set('njjwt-did', planted)
    await signIn(browser, user.email, user.password)
    expect(browser.cookies.get('njjwt-did')).not.toBe(planted)
    expect(await deviceOf(browser.cookies.get('njjwt-rt')!)).toBe(browser.cookies.get('njjwt-did'))
    // The planted id cannot refresh the session either.
    const thief = new TestClient()
    thief.cookies.set('njjwt-rt', browser.cookies.get('njjwt-rt')!)
    thief.cookies.set('njjwt-did', planted)
    await expectProblem(await thief.call('POST', '/api/auth/refresh'), 401, 'DEVICE_MISMATCH')
  })

  it('a made-up X-Device-Id at bearer sign-in is replaced, and the issued one is kept', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient({ 'user-agent': 'nj-cli/1.0', 'x-device-id': 'made-up-device-id-0000000001' })
    const body = await json<{ deviceId: string }>(await cli.login(user.email, user.password))
    expect(body.deviceId).not.toBe('made-up-device-id-0000000001')
    const again = new BearerClient({ 'user-agent': 'nj-cli/1.0', 'x-device-id': body.deviceId })
    expect((await json<{ deviceId: string }>(await again.login(user.email, user.password))).deviceId).toBe(body.deviceId)
  })

  it('a browser keeps its issued id across sign-ins, also one issued under a key since rotated out of first place', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient()
    await signIn(browser, user.email, user.password)
    const issued = browser.cookies.get('njjwt-did')!
    await browser.call('POST', '/api/auth/logout')
    await signIn(browser, user.email, user.password)
    expect(browser.cookies.get('njjwt-did')).toBe(issued)

    const underRetiredKey = issueDeviceId(await importKeySet([retired]))
    const older = new TestClient()
    older.cookies.set('njjwt-did', underRetiredKey)
    await signIn(older, user.email, user.password)
    expect(older.cookies.get('njjwt-did')).toBe(underRetiredKey)
  })

  it('an id issued by another deployment’s keys, or one re-spelled, is not ours', async () => {
    const user = await createUser(app.db)
    const foreign = issueDeviceId(await importKeySet([await generateSigningJwk()]))
    const ours = issueDeviceId(await importKeySet([current]))
    for (const offered of [foreign, ours.slice(0, -1) + (ours.endsWith('A') ? 'B' : 'A'), ours + 'x', ours.toUpperCase()]) {
      const browser = new TestClient()
      browser.cookies.set('njjwt-did', offered)
      await signIn(browser, user.email, user.password)
      expect(browser.cookies.get('njjwt-did')).not.toBe(offered)
    }
  })
})
