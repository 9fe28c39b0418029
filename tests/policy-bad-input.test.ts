import { describe, expect, it } from 'vitest'
import { BearerClient, TestClient } from './support/client'
import { createUser, setupTestApp } from './support/harness'

// SPEC §7: "never a 500 for bad input". A NUL byte is valid in a URL (%00) and in JSON (\u0000)
// but not in a PostgreSQL text value: handed to the database as it is, the query fails.
const app = setupTestApp()

async function signedInAdmin() {
  const admin = await createUser(app.db, { role: 'admin' })
  const cli = new BearerClient()
  expect((await cli.login(admin.email, admin.password)).status).toBe(200)
  return cli
}

describe('§7 a NUL byte in an id, a query parameter or a JSON string is a 4xx, never a 500', () => {
  it.each([
    ['DELETE', '/api/auth/sessions/%00', undefined],
    ['DELETE', '/api/auth/sessions/abc%00def', undefined],
    ['PATCH', '/api/admin/users/%00', { role: 'user' }],
    ['POST', '/api/admin/users/%00/revoke-sessions', undefined],
    ['GET', '/api/admin/audit?userId=%00', undefined],
    ['GET', '/api/admin/users?cursor=%00', undefined],
  ] as const)('%s %s', async (method, path, body) => {
    const cli = await signedInAdmin()
    const response = await cli.call(method, path, body)
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
  })

  it.each([
    ['/api/auth/login', { email: 'someone\u0000@example.test', password: 'whatever-password' }],
    ['/api/auth/login', { email: 'someone@example.test', password: 'whatever-password', transport: 'bearer', rememberMe: false, extra: '\u0000' }],
    ['/api/auth/register', { email: 'nul-name@example.test', password: 'long-enough-pw', name: 'Nul\u0000Name' }],
  ])('POST %s with %j', async (path, body) => {
    const response = await new TestClient().call('POST', path, { body })
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
  })
})
