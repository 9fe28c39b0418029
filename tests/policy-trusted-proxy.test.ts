import { describe, expect, it } from 'vitest'
import { BearerClient, CLI_HEADERS, TestClient, connectingFrom, expectProblem, json } from './support/client'
import { createUser, startFakeClock, setupTestApp } from './support/harness'

// SPEC §5 client IP behind a reverse proxy we run (AUTH_TRUST_PROXY=1): the proxy appends the
// address it saw to X-Forwarded-For, so only the last hop is its word; anything before it is the
// client's. The socket address is the proxy's own. A per-IP budget of 3 login attempts shows
// which address the limits count.
const app = setupTestApp({ AUTH_TRUST_PROXY: '1', AUTH_LOGIN_IP_LIMIT: '3', AUTH_LOGIN_LIMIT: '5' })

const PROXY = '10.0.0.2'
/** A request as our proxy forwards it: whatever the client wrote, then the address the proxy saw. */
const viaProxy = (clientAddress: string, clientWrote?: string, extra: Record<string, string> = {}) => ({
  ...connectingFrom(PROXY, CLI_HEADERS),
  'x-forwarded-for': clientWrote ? `${clientWrote}, ${clientAddress}` : clientAddress,
  ...extra,
})

describe('§5 client IP with AUTH_TRUST_PROXY=1', () => {
  it('records the hop the proxy appended, not the addresses the client wrote before it, nor X-Real-IP or x-vercel-forwarded-for', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient(viaProxy('198.51.100.4', '6.6.6.6, 6.6.6.5', { 'x-real-ip': '6.6.6.7', 'x-vercel-forwarded-for': '6.6.6.8' }))
    expect((await cli.login(user.email, user.password)).status).toBe(200)
    const { sessions } = await json<{ sessions: Array<{ ip: string }> }>(await cli.call('GET', '/api/auth/sessions'))
    expect(sessions.map((s) => s.ip)).toEqual(['198.51.100.4'])
  })

  it('a client writing a new address before the real one each time cannot escape the per-IP login limit', async () => {
    startFakeClock()
    const user = await createUser(app.db)
    const login = (clientWrote: string) => new TestClient(viaProxy('198.51.100.5', clientWrote)).call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })
    for (const spoof of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) expect((await login(spoof)).status).toBe(200)
    await expectProblem(await login('4.4.4.4'), 429, 'RATE_LIMITED')
    // Another real client behind the same proxy has its own budget.
    const neighbour = new TestClient(viaProxy('198.51.100.6')).call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })
    expect((await neighbour).status).toBe(200)
  })
})
