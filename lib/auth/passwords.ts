import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { availableParallelism } from 'node:os'
import pLimit from 'p-limit'

// scrypt with OWASP's first listed parameters (N=2^17, r=8, p=1: 128 MiB, memory-hard).
// The parameters live in the stored string, so they can be raised later and old hashes still verify.
export const DEFAULT_COST = { N: 2 ** 17, r: 8, p: 1 }
const KEY_LENGTH = 32

// Hashing runs on libuv's thread pool (4 threads), which the rest of the server needs too (file
// reads, DNS for the database host, zlib for compressed answers). Unbounded, 40 sign-ins filled it
// for seconds and took 128 MiB each. So at most HASH_CONCURRENCY hashes run per process, at most
// HASH_QUEUE wait behind them, and beyond that the attempt is refused at once (503 with
// Retry-After): a fast "busy" beats a 15-second wait (docs/decisions/014).
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

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  if (hashing.pendingCount >= HASH_QUEUE) return Promise.reject(new HashingBusyError('Too many password checks in flight'))
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 }
  return hashing(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  )
}

export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, cost)
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** Cost fields scrypt accepts and that stay within a sane amount of work (a corrupt row is not a 500). */
function usableCost(N: number, r: number, p: number): boolean {
  const whole = (value: number, max: number) => Number.isSafeInteger(value) && value >= 1 && value <= max
  return whole(N, 2 ** 20) && N > 1 && (N & (N - 1)) === 0 && whole(r, 32) && whole(p, 16)
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const cost = { N: Number(n), r: Number(r), p: Number(p) }
  if (!usableCost(cost.N, cost.r, cost.p)) return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), cost)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
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
