import { Redis } from '@upstash/redis'
import { KvUnavailableError } from './errors'
import type { KeyValueStore } from './types'

/** Redis over Upstash's REST protocol (Vercel KV, Upstash, or the test bridge to a real Redis). */
export function createUpstashKv(options: { url: string; token: string }): KeyValueStore {
  const redis = new Redis({
    url: options.url,
    token: options.token,
    // Values are our own strings: no JSON guessing on the way back.
    automaticDeserialization: false,
    retry: { retries: 1, backoff: () => 50 },
  })
  return wrapErrors({
    async getMany(keys) {
      if (keys.length === 0) return []
      return (await redis.mget<(string | null)[]>(...keys)).map((value) => value ?? null)
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, value, { ex: Math.max(1, Math.ceil(ttlSeconds)) })
    },
  })
}

function wrapErrors(store: KeyValueStore): KeyValueStore {
  const wrapped = {} as Record<string, unknown>
  for (const [name, fn] of Object.entries(store) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await fn(...args)
      } catch (error) {
        throw new KvUnavailableError(`KV ${name} failed: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }
  return wrapped as unknown as KeyValueStore
}
