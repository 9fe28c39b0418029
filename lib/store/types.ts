import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type * as schema from './schema'

// The storage interfaces, apart from their factories so implementations can import them without a cycle.

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export type DbHandle = { db: Db; close(): Promise<void> }

/**
 * The small key-value interface behind the denylist and rate limits (after Better Auth's
 * secondary storage). Every implementation passes tests/kv.contract.ts.
 */
export interface KeyValueStore {
  /** One round trip for several keys: the gate reads its whole denylist this way. */
  getMany(keys: string[]): Promise<(string | null)[]>
  set(key: string, value: string, ttlSeconds: number): Promise<void>
}

/** `limit` requests per `windowSeconds` (SPEC §4.7, §7 rate limits). */
export type RateLimitRule = { limit: number; windowSeconds: number }

export type RateLimitResult = {
  ok: boolean
  remaining: number
  /** Whole seconds until the window ends: ≥ 1 when !ok (for `Retry-After`), 0 when ok. */
  retryAfterSeconds: number
}

/**
 * Fixed windows aligned to the epoch (window n covers [n·w, (n+1)·w)), the semantics of
 * @upstash/ratelimit's fixedWindow, so memory and Redis pass one contract suite
 * (tests/rate-limit.contract.test.ts). Every call counts, allowed or not. A key is
 * counted per rule: the same key under two rules has two counters.
 */
export interface RateLimiter {
  limit(key: string, rule: RateLimitRule): Promise<RateLimitResult>
  /** Forgets the key's count in the current window (after a successful login, say). */
  reset(key: string, rule: RateLimitRule): Promise<void>
}
