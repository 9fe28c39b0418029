import { describe, expect, it } from 'vitest'
import { TestClient, expectProblem, json } from './support/client'
import { createUser, setupTestApp } from './support/harness'

// A name is shown to admins next to everyone else's: it must not be able to pose as another.
// Bidi overrides reorder what follows them (Trojan Source, CVE-2021-42574), zero-width and other
// format characters hide, line separators break the layout (Unicode TR #36).
const app = setupTestApp()

let n = 0
const register = (name: string) =>
  new TestClient().call('POST', '/api/auth/register', { body: { email: `name-${++n}-${Date.now()}@example.test`, password: 'long-enough-password', name } })

describe('§7 register: names', () => {
  it.each([
    ['a right-to-left override', 'Ada \u202Enimda'],
    ['a left-to-right isolate', 'Ada \u2066admin\u2069'],
    ['a zero-width space', 'ad\u200Bmin'],
    ['a zero-width joiner', 'ad\u200Dmin'],
    ['a byte order mark', '\uFEFFadmin'],
    ['a soft hyphen', 'ad\u00ADmin'],
    ['a line separator', 'Ada\u2028Lovelace'],
    ['a paragraph separator', 'Ada\u2029Lovelace'],
    ['a C1 control', 'Ada\u0085Lovelace'],
    ['a private-use character', 'Ada \uE000'],
    ['a NUL', 'Ada\u0000'],
  ])('with %s is 400 VALIDATION_FAILED on `name`', async (_what, name) => {
    const problem = await expectProblem(await register(name), 400, 'VALIDATION_FAILED')
    expect(Object.keys(problem.errors ?? {})).toEqual(['name'])
  })

  it('is stored in NFC, so one name has one spelling', async () => {
    const decomposed = 'Jose\u0301 Zoe\u0308'
    const response = await register(decomposed)
    expect(response.status).toBe(201)
    expect((await json<{ user: { name: string } }>(response)).user.name).toBe('José Zoë')
  })

  it('in any script, with emoji and inner spaces, is kept as written', async () => {
    for (const name of ['山田 太郎', 'Ωμέγα', 'محمد', 'Zoë 😀', 'Mary-Jane O’Neil']) {
      const response = await register(name)
      expect(response.status).toBe(201)
      expect((await json<{ user: { name: string } }>(response)).user.name).toBe(name)
    }
    await createUser(app.db) // the database is still usable afterwards
  })
})
