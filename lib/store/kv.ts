import { getConfig } from '@/lib/config'
import { createMemoryKv } from './kv-memory'
import { createUpstashKv } from './kv-upstash'

/**
 * The small key-value interface behind the denylist and rate limits (after Better Auth's
 * secondary storage). Every implementation passes tests/kv.contract.ts.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>
  /** One round trip for several keys: the gate reads its whole denylist this way. */
  getMany(keys: string[]): Promise<(string | null)[]>
  set(key: string, value: string, ttlSeconds: number): Promise<void>
  delete(key: string): Promise<void>
  getAndDelete(key: string): Promise<string | null>
  /** Adds 1 and returns the new count; the TTL starts with the first increment. */
  increment(key: string, ttlSeconds: number): Promise<number>
}

/** Thrown when the store cannot be reached; the gate turns it into 503 (fail closed). */
export class KvUnavailableError extends Error {
  override name = 'KvUnavailableError'

  /** By name, not instanceof: Next may bundle this module into more than one chunk. */
  static is(error: unknown): error is KvUnavailableError {
    return error instanceof Error && error.name === 'KvUnavailableError'
  }
}

const globalKv = globalThis as { __njjwtKv?: KeyValueStore }

export function getKv(): KeyValueStore {
  if (!globalKv.__njjwtKv) {
    const { kv } = getConfig()
    globalKv.__njjwtKv = kv.kind === 'upstash' ? createUpstashKv({ url: kv.url, token: kv.token }) : createMemoryKv()
  }
  return globalKv.__njjwtKv
}

/** Tests only: use this store (or a fresh one from the configuration when omitted). */
export function setKvForTests(store: KeyValueStore | undefined): void {
  globalKv.__njjwtKv = store
}
