import { describe, expect, it } from 'vitest'
import { addressBucket } from '@/lib/http/client-info'
import { TestClient, connectingFrom, expectProblem } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §7 per-address limits. An IPv6 host is given a whole /64 (RFC 6177) and can pick a new
// address from it for every request, so limits count IPv6 clients by their /64.
const app = setupTestApp({ AUTH_LOGIN_LIMIT: '5', AUTH_LOGIN_IP_LIMIT: '8', AUTH_REGISTER_LIMIT: '2' })

const inNetwork = (prefix: string, i: number) => `${prefix}:${(0x1000 + i).toString(16)}:${i.toString(16)}:beef:${(i * 7).toString(16)}`

describe('§7 per-address limits and IPv6', () => {
  it('a host rotating through its /64 gets five wrong guesses at an account, not five per address', async () => {
    startFakeClock()
    const user = await createUser(app.db)
    const guess = (i: number) =>
      new TestClient(connectingFrom(inNetwork('2001:db8:aa:1', i))).call('POST', '/api/auth/login', { body: { email: user.email, password: 'wrong-guess' } })
    for (let i = 0; i < 5; i++) await expectProblem(await guess(i), 401, 'INVALID_CREDENTIALS')
    await expectProblem(await guess(5), 429, 'RATE_LIMITED')
    // Another /64 has its own budget.
    const neighbour = new TestClient(connectingFrom('2001:db8:aa:2::1')).call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })
    expect((await neighbour).status).toBe(200)
  })

  it('the attempts-per-address budget and the registration budget count the /64 too', async () => {
    startFakeClock()
    const attempt = (i: number) =>
      new TestClient(connectingFrom(inNetwork('2001:db8:bb:1', i))).call('POST', '/api/auth/login', { body: { email: `nobody-${i}@example.test`, password: 'whatever-it-is' } })
    for (let i = 0; i < 8; i++) expect((await attempt(i)).status).toBe(401)
    await expectProblem(await attempt(8), 429, 'RATE_LIMITED')
    const signUp = (i: number) =>
      new TestClient(connectingFrom(inNetwork('2001:db8:cc:1', i))).call('POST', '/api/auth/register', { body: { email: `v6-${i}-${Date.now()}@example.test`, password: 'long-enough-password' } })
    for (let i = 0; i < 2; i++) expect((await signUp(i)).status).toBe(201)
    await expectProblem(await signUp(2), 429, 'RATE_LIMITED')
  })

  it('an IPv4 client is the same client whether written as IPv4 or IPv4-mapped IPv6', async () => {
    startFakeClock()
    const user = await createUser(app.db)
    const guess = (ip: string) => new TestClient(connectingFrom(ip)).call('POST', '/api/auth/login', { body: { email: user.email, password: 'wrong-guess' } })
    for (let i = 0; i < 5; i++) await guess(i % 2 ? '192.0.2.90' : '::ffff:192.0.2.90')
    await expectProblem(await guess('::ffff:c000:25a'), 429, 'RATE_LIMITED')
  })
})

describe('addressBucket', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0DB8:0000:0001:ffff:ffff:ffff:ffff', '2001:db8:0:1::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [null, 'unknown'],
    ['not-an-address', 'unknown'],
  ])('%s → %s', (ip, bucket) => {
    expect(addressBucket(ip)).toBe(bucket)
  })
})
