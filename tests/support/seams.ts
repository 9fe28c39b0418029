import { loadConfig, type Config } from '@/lib/config'
import type { KeySet } from '@/lib/auth/keys'
import type { DbHandle, KeyValueStore, RateLimiter } from '@/lib/store/types'

// The process-wide singletons of lib/ (config, keys, database, KV, limiter) each live in one
// globalThis slot, so that Next's bundling into several chunks still finds one instance. Tests put
// their own in those slots here, and lib/ carries no test-only code.

const slots = globalThis as {
  __njjwtConfig?: Config
  __njjwtKeys?: Promise<KeySet>
  __njjwtDb?: Promise<DbHandle>
  __njjwtKv?: KeyValueStore
  __njjwtRateLimiter?: RateLimiter
}

/** The configuration from process.env plus overrides, in test mode. */
export function configureForTests(overrides: Record<string, string | undefined> = {}): Config {
  slots.__njjwtConfig = loadConfig({ ...process.env, NODE_ENV: 'test', ...overrides })
  return slots.__njjwtConfig
}

/** These keys, or (undefined) keys made afresh from the configuration on next use. */
export function setKeySetForTests(keys: KeySet | undefined): void {
  slots.__njjwtKeys = keys ? Promise.resolve(keys) : undefined
}

export function setDbForTests(handle: DbHandle | undefined): void {
  slots.__njjwtDb = handle ? Promise.resolve(handle) : undefined
}

export function setKvForTests(store: KeyValueStore | undefined): void {
  slots.__njjwtKv = store
}

export function setRateLimiterForTests(limiter: RateLimiter | undefined): void {
  slots.__njjwtRateLimiter = limiter
}

/** A logger of the tests' own (e.g. writing to memory); undefined: made afresh from the configuration. */
export function setLoggerForTests(logger: import('pino').Logger | undefined): void {
  ;(globalThis as { __njjwtLogger?: import('pino').Logger }).__njjwtLogger = logger
}
