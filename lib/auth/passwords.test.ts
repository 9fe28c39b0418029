import { randomBytes, scryptSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ARGON2_COST, HASH_CONCURRENCY, HASH_QUEUE, HashingBusyError, hashPassword, hashingLoad, needsRehash, verifyPassword } from './passwords'

// Password storage (SPEC §7): argon2id in PHC strings, the scrypt strings of earlier releases still
// verified (and marked for rehashing), and a bounded queue in front of the thread pool
// (docs/decisions/014, 019). Cheap parameters here; the cost travels in the stored string, so
// verification takes whatever the string says.
const CHEAP = { memoryCost: 1024, timeCost: 1, parallelism: 1 }
const SCRYPT_CHEAP = { N: 2 ** 10, r: 8, p: 1 }

/** A scrypt string written by hand, as an earlier release stored them. */
function storedWith(password: string, cost: { N: number; r: number; p: number }): string {
  const salt = randomBytes(16)
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r })
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

describe('hashPassword and verifyPassword', () => {
  it('verify the password that was hashed, and no other', async () => {
    const stored = await hashPassword('correct-horse-battery', CHEAP)
    expect(await verifyPassword('correct-horse-battery', stored)).toBe(true)
    for (const wrong of ['correct-horse-batter', 'Correct-horse-battery', 'correct-horse-battery ', '']) expect(await verifyPassword(wrong, stored), wrong).toBe(false)
  })

  it('store argon2id, its version and cost, a salt and the key (PHC), and salt every hash afresh', async () => {
    const stored = await hashPassword('correct-horse-battery', CHEAP)
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$[\w+/]{22}\$[\w+/]{43}$/)
    expect(await hashPassword('correct-horse-battery', CHEAP)).not.toBe(stored)
    // OWASP's first choice (Password Storage Cheat Sheet): m=19 MiB, t=2, p=1.
    expect(ARGON2_COST).toEqual({ memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 })
    expect(await hashPassword('full strength')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  })

  it('verify scrypt strings of earlier releases, whatever their parameters: the cost travels in the string', async () => {
    for (const cost of [SCRYPT_CHEAP, { N: 2 ** 11, r: 4, p: 2 }, { N: 2 ** 12, r: 8, p: 1 }]) {
      const stored = storedWith('an older password', cost)
      expect(await verifyPassword('an older password', stored), JSON.stringify(cost)).toBe(true)
      expect(await verifyPassword('another password', stored)).toBe(false)
    }
  })

  it('mark for rehashing every scrypt string and every argon2id string below the current cost, not the current ones', async () => {
    expect(needsRehash(storedWith('pw', SCRYPT_CHEAP))).toBe(true)
    expect(needsRehash(await hashPassword('pw', CHEAP))).toBe(true)
    expect(needsRehash(await hashPassword('pw'))).toBe(false)
    expect(needsRehash(await hashPassword('pw', { ...ARGON2_COST, memoryCost: 64 * 1024 }))).toBe(false)
    expect(needsRehash('')).toBe(true)
  })

  it('normalise the password to NFKC: the same password typed on another keyboard verifies', async () => {
    const composed = 'caf\u00e9-passw\u00f6rd' // é and ö as one code point each
    const decomposed = 'cafe\u0301-passwo\u0308rd' // e and o followed by combining accents
    const stored = await hashPassword(composed, CHEAP)
    expect(await verifyPassword(decomposed, stored)).toBe(true)
    // Compatibility forms too: full-width letters and the "fi" ligature.
    expect(await verifyPassword('ｆｉｎｅ-password', await hashPassword('\ufb01ne-password', CHEAP))).toBe(true)
    expect(await verifyPassword('cafe-passwort', stored)).toBe(false)
  })

  it('answer false for a stored string of another scheme or with its salt or key missing or cut short', async () => {
    const [, n, r, p, salt, key] = storedWith('pw-for-malformed', SCRYPT_CHEAP).split('$') as string[]
    const argon = await hashPassword('pw-for-malformed', CHEAP)
    const malformed = [
      '',
      'scrypt',
      'not-a-hash',
      `bcrypt$${n}$${r}$${p}$${salt}$${key}`,
      `$${n}$${r}$${p}$${salt}$${key}`,
      `scrypt$${n}$${r}$${p}$$${key}`,
      `scrypt$${n}$${r}$${p}$${salt}$`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$${key!.slice(0, 20)}`,
      `scrypt$${n}$${r}$${p}$${salt}$${key}${key}`,
      `scrypt$${n}$${r}$${p}$!!!$${key}`,
      argon.slice(0, -5),
      argon.replace('$argon2id$', '$argon2i$'),
      argon.replace('m=1024', 'm=9999999'), // a hostile cost is refused, not computed
      argon.replace('t=1', 't=0'),
      `${argon}$extra`,
    ]
    for (const stored of malformed) expect(await verifyPassword('pw-for-malformed', stored), stored).toBe(false)
  })

  // A corrupted row is a wrong password at sign-in, not a 500.
  it('answer false for a scrypt string whose cost fields are not usable', async () => {
    const [, , , , salt, key] = storedWith('pw-for-malformed', SCRYPT_CHEAP).split('$') as string[]
    for (const cost of ['abc$8$1', '1000$8$1', '1024$0$1', '-1024$8$1', '1.5$8$1', '$$']) {
      expect(await verifyPassword('pw-for-malformed', `scrypt$${cost}$${salt}$${key}`).catch(() => 'rejected'), cost).toBe(false)
    }
  })
})

describe('the hashing queue (docs/decisions/014)', () => {
  // Slow enough (tens of ms each) that none finishes while the queue is being filled.
  const SLOW = { N: 2 ** 14, r: 8, p: 1 }
  const SLOW_ARGON2 = { memoryCost: 32 * 1024, timeCost: 3, parallelism: 1 }
  const tick = () => new Promise((resolve) => setImmediate(resolve))

  it(`runs at most HASH_CONCURRENCY (${HASH_CONCURRENCY}) hashes, queues HASH_QUEUE (${HASH_QUEUE}), and refuses the next one at once`, async () => {
    const stored = storedWith('queued password', SCRYPT_CHEAP)
    const slowStored = storedWith('queued password', SLOW) // made before: scryptSync would hold up the event loop
    const inFlight: Array<Promise<boolean>> = []
    // One at a time, as separate requests arrive: each finds the ones before it running or queued.
    for (let i = 0; i < HASH_CONCURRENCY + HASH_QUEUE; i++) {
      inFlight.push(i % 2 ? verifyPassword('queued password', slowStored) : hashPassword('queued password', SLOW_ARGON2).then(() => true))
      await tick()
    }
    expect(hashingLoad()).toEqual({ running: HASH_CONCURRENCY, waiting: HASH_QUEUE })

    let admittedDone = 0
    for (const admitted of inFlight) void admitted.then(() => admittedDone++)
    const refusals = await Promise.allSettled([verifyPassword('queued password', stored), hashPassword('queued password', CHEAP)])
    // At once: refused before a single admitted hash had finished.
    expect(admittedDone).toBe(0)
    for (const refusal of refusals) {
      expect(refusal.status).toBe('rejected')
      const error = (refusal as PromiseRejectedResult).reason as unknown
      expect(error).toBeInstanceOf(HashingBusyError)
      expect(HashingBusyError.is(error)).toBe(true)
      expect((error as HashingBusyError).retryAfter).toBe(1)
    }
    expect(hashingLoad()).toEqual({ running: HASH_CONCURRENCY, waiting: HASH_QUEUE })

    // The ones let in all finish, and then there is room again.
    expect(await Promise.all(inFlight)).toEqual(inFlight.map(() => true))
    expect(hashingLoad()).toEqual({ running: 0, waiting: 0 })
    expect(await verifyPassword('queued password', stored)).toBe(true)
  })

  it('HashingBusyError.is goes by name, so a copy of the class from another bundle chunk counts', () => {
    const fromAnotherChunk = Object.assign(new Error('busy'), { name: 'HashingBusyError' })
    expect(HashingBusyError.is(fromAnotherChunk)).toBe(true)
    expect(HashingBusyError.is(new Error('busy'))).toBe(false)
    expect(HashingBusyError.is('HashingBusyError')).toBe(false)
  })
})
