import { randomBytes, scryptSync } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { users } from '@/lib/store/schema'
import { BearerClient, expectProblem } from './support/client'
import { createUser, setupTestApp } from './support/harness'

// docs/decisions/019: passwords are argon2id now; an account whose hash an earlier release stored
// with scrypt still signs in, and its hash is replaced by argon2id at that sign-in.
const app = setupTestApp({ AUTH_LOGIN_LIMIT: '5' })

function scryptString(password: string, cost = { N: 2 ** 14, r: 8, p: 1 }): string {
  const salt = randomBytes(16)
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r })
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

const storedHash = async (id: string) => (await app.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id)))[0]!.hash

describe('§7 password storage: scrypt hashes of earlier releases', () => {
  it('sign in, and are replaced by argon2id at the current cost; the next sign-in verifies the new hash', async () => {
    const user = await createUser(app.db)
    await app.db.update(users).set({ passwordHash: scryptString(user.password) }).where(eq(users.id, user.id))
    expect(await storedHash(user.id)).toMatch(/^scrypt\$/)

    expect((await new BearerClient().login(user.email, user.password)).status).toBe(200)
    expect(await storedHash(user.id)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect((await new BearerClient().login(user.email, user.password)).status).toBe(200)
  })

  it('a wrong password against a scrypt hash is refused and changes nothing', async () => {
    const user = await createUser(app.db)
    const legacy = scryptString(user.password)
    await app.db.update(users).set({ passwordHash: legacy }).where(eq(users.id, user.id))
    await expectProblem(await new BearerClient().login(user.email, 'not-the-password'), 401, 'INVALID_CREDENTIALS')
    expect(await storedHash(user.id)).toBe(legacy)
  })
})
