import { describe, expect, it } from 'vitest'
import { TestClient, connectingFrom } from './support/client'
import { createUser, setupTestApp } from './support/harness'

// Issue 10 item 2, SPEC §7: the failure budget (AUTH_LOGIN_LIMIT wrong guesses per email and
// address) holds however many attempts run at once, and a right password is never turned away
// because other attempts were in flight: 16 people in one office signing in to one shared
// account at once (or 16 parallel test workers) all get in.
const app = setupTestApp({ AUTH_LOGIN_LIMIT: '5', AUTH_LOGIN_IP_LIMIT: '1000' })

const login = (ip: string, email: string, password: string) =>
  new TestClient(connectingFrom(ip)).call('POST', '/api/auth/login', { body: { email, password } }).then((response) => response.status)

describe('§7 sign-in under concurrency', () => {
  it('16 parallel correct sign-ins of one account from one address: all 200', async () => {
    const user = await createUser(app.db)
    const statuses = await Promise.all(Array.from({ length: 16 }, () => login('198.51.100.40', user.email, user.password)))
    expect(statuses).toEqual(Array(16).fill(200))
  })

  it('16 parallel wrong guesses: five are checked, the rest refused, and then the right password waits too', async () => {
    const user = await createUser(app.db)
    const statuses = await Promise.all(Array.from({ length: 16 }, (_, i) => login('198.51.100.41', user.email, `wrong-${i}`)))
    expect(statuses.filter((status) => status === 401)).toHaveLength(5)
    expect(statuses.filter((status) => status === 429)).toHaveLength(11)
    expect(await login('198.51.100.41', user.email, user.password)).toBe(429)
  })

  it('a right password among wrong ones in flight gets in once their checks end, unless they used up the budget', async () => {
    const user = await createUser(app.db)
    const wrong = Array.from({ length: 3 }, (_, i) => login('198.51.100.42', user.email, `wrong-${i}`))
    const right = Array.from({ length: 8 }, () => login('198.51.100.42', user.email, user.password))
    const statuses = await Promise.all([...wrong, ...right])
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401])
    expect(statuses.slice(3)).toEqual(Array(8).fill(200))
  })
})
