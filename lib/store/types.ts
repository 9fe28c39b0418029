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
  /**
   * A password guess about to be checked (SPEC §7 failure budget): `go` holds one of the window's
   * `limit` slots (failures so far plus checks in flight, across instances); `wait` when checks in
   * flight hold the rest; `locked` when `limit` guesses of this window were wrong. A held slot is
   * given up after `holdSeconds` if `endAttempt` never comes (a crashed instance).
   */
  beginAttempt(key: string, rule: RateLimitRule, holdSeconds: number): Promise<AttemptVerdict>
  /** The held slot's check ended: a wrong guess stays counted, a right one clears the window's count, an unchecked one counts nothing. */
  endAttempt(key: string, rule: RateLimitRule, result: AttemptResult): Promise<void>
}

export type AttemptVerdict = { state: 'go' } | { state: 'wait' } | { state: 'locked'; retryAfterSeconds: number }
export type AttemptResult = 'correct' | 'wrong' | 'unchecked'
