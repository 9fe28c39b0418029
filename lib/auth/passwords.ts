import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2'
import pLimit from 'p-limit'

// Passwords are hashed with argon2id at OWASP's first-choice parameters (m=19 MiB, t=2, p=1;
// Password Storage Cheat Sheet), a fraction of the memory and time of the scrypt N=2^17 (128 MiB)
// used before (docs/decisions/019). Stored strings say their algorithm and parameters (PHC format),
// so scrypt hashes of earlier accounts keep verifying and are replaced at the next sign-in.
export const ARGON2_COST = { memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 }
export type Argon2Cost = typeof ARGON2_COST

// Hashing runs on libuv's thread pool (4 threads), which the rest of the server needs too (file
// reads, DNS for the database host, zlib for compressed answers). Unbounded, 40 sign-ins filled it
// for seconds. So at most HASH_CONCURRENCY hashes run per process, at most HASH_QUEUE wait behind
// them, and beyond that the attempt is refused at once (503 with Retry-After): a fast "busy" beats
// a long wait (docs/decisions/014).
export const HASH_CONCURRENCY = Math.max(1, Math.min(2, availableParallelism() - 1))
export const HASH_QUEUE = 32
const hashing = pLimit(HASH_CONCURRENCY)

/** Too many password hashes in flight in this process; try again in `retryAfter` seconds. */
export class HashingBusyError extends Error {
  override name = 'HashingBusyError'
  readonly retryAfter = 1

  /** By name, not instanceof: Next may bundle this module into more than one chunk. */
  static is(error: unknown): error is HashingBusyError {
    return error instanceof Error && error.name === 'HashingBusyError'
  }
}

/** How many hashes are running and waiting in this process (metrics, tests). */
export function hashingLoad(): { running: number; waiting: number } {
  return { running: hashing.activeCount, waiting: hashing.pendingCount }
}

/** One hash through the bounded queue. */
function bounded<T>(work: () => Promise<T>): Promise<T> {
  if (hashing.pendingCount >= HASH_QUEUE) return Promise.reject(new HashingBusyError('Too many password checks in flight'))
  return hashing(work)
}

// One spelling per password, whatever the keyboard or input method produced (é as one code point or two).
const normalized = (password: string) => password.normalize('NFKC')

export function hashPassword(password: string, cost: Argon2Cost = ARGON2_COST): Promise<string> {
  // The library's default algorithm is argon2id (and its const enum cannot be named here).
  return bounded(() => argon2Hash(normalized(password), cost))
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('$argon2id$')) {
    if (!usableArgon2(stored)) return false
    return bounded(() => argon2Verify(stored, normalized(password)).catch(() => false))
  }
  if (stored.startsWith('scrypt$')) return verifyScrypt(password, stored)
  return false
}

/** True for a hash to replace at the next correct sign-in: scrypt, or argon2id below ARGON2_COST. */
export function needsRehash(stored: string): boolean {
  const params = argon2Params(stored)
  return !params || params.m < ARGON2_COST.memoryCost || params.t < ARGON2_COST.timeCost
}

function argon2Params(stored: string): { m: number; t: number; p: number } | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored)
  return match ? { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) } : null
}

/** Parameters within a sane amount of work: a corrupt or hostile row is a wrong password, not a 500 or a stall. */
function usableArgon2(stored: string): boolean {
  const params = argon2Params(stored)
  return params !== null && params.m >= 8 && params.m <= 256 * 1024 && params.t >= 1 && params.t <= 10 && params.p >= 1 && params.p <= 4
}

// Legacy: `scrypt$N$r$p$salt$key` (base64url, a 32-byte key), as stored before argon2id.
const SCRYPT_KEY_LENGTH = 32
async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, key] = stored.split('$')
  const cost = { N: Number(n), r: Number(r), p: Number(p) }
  if (!salt || !key || !usableScryptCost(cost)) return false
  const expected = Buffer.from(key, 'base64url')
  if (expected.length !== SCRYPT_KEY_LENGTH) return false
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 }
  const actual = await bounded(
    () => new Promise<Buffer>((resolve, reject) => scrypt(normalized(password), Buffer.from(salt, 'base64url'), SCRYPT_KEY_LENGTH, options, (error, derived) => (error ? reject(error) : resolve(derived)))),
  )
  return timingSafeEqual(actual, expected)
}

function usableScryptCost({ N, r, p }: { N: number; r: number; p: number }): boolean {
  const whole = (value: number, max: number) => Number.isSafeInteger(value) && value >= 1 && value <= max
  return whole(N, 2 ** 20) && N > 1 && (N & (N - 1)) === 0 && whole(r, 32) && whole(p, 16)
}

// A real hash to check against when the email is unknown, so login takes the same time either way.
let dummyHash: Promise<string> | undefined
export function verifyAgainstDummy(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('not-a-real-password-' + randomBytes(8).toString('hex')).catch((error: unknown) => {
    dummyHash = undefined
    throw error
  })
  return dummyHash.then((hash) => verifyPassword(password, hash)).then(() => false)
}
