import { randomUUID } from 'node:crypto'
import { inject } from 'vitest'
import type { KeyValueStore } from '@/lib/store/kv'
import { createMemoryKv } from '@/lib/store/kv-memory'
import { createRedisKv } from '@/lib/store/kv-redis'
import { createUpstashKv } from '@/lib/store/kv-upstash'
import type { RateLimiter } from '@/lib/store/rate-limit'
import { createMemoryRateLimiter } from '@/lib/store/rate-limit-memory'
import { createRedisRateLimiter } from '@/lib/store/rate-limit-redis'
import { createUpstashRateLimiter } from '@/lib/store/rate-limit-upstash'

type BackendName = 'memory' | 'upstash-redis' | 'redis-tcp'

/** REDIS_URL for the TCP backend (ioredis), if set. */
function redisUrl(): string | null {
  return inject('redisUrl') || null
}

/** The Upstash REST bridge to REDIS_URL (tests/support/global-setup.ts), if running. */
function restBridge(): { url: string; token: string } | null {
  const url = inject('kvRestUrl')
  return url ? { url, token: inject('kvRestToken') } : null
}

// Test files run in parallel against one Redis and FLUSHDB would wipe the others' keys:
// every store gets a namespace of its own instead (keys carry TTLs, so they expire).
const uniquePrefix = (kind: string) => `test:${kind}:${randomUUID()}`

/**
 * Every KV implementation the contract suites run against: memory always; with REDIS_URL set,
 * Upstash's REST client (through the bridge) and Redis over TCP, which the app suites then use.
 */
export function kvBackends(): Array<{ name: BackendName; create(): KeyValueStore }> {
  const bridge = restBridge()
  const url = redisUrl()
  return [
    { name: 'memory', create: createMemoryKv },
    ...(bridge ? [{ name: 'upstash-redis' as const, create: () => withKeyPrefix(createUpstashKv(bridge), uniquePrefix('kv')) }] : []),
    ...(url ? [{ name: 'redis-tcp' as const, create: () => createRedisKv({ url, prefix: uniquePrefix('kv') }) }] : []),
  ]
}

export function rateLimiterBackends(): Array<{ name: BackendName; create(): RateLimiter }> {
  const bridge = restBridge()
  return [
    { name: 'memory', create: createMemoryRateLimiter },
    ...(bridge ? [{ name: 'upstash-redis' as const, create: () => createUpstashRateLimiter({ ...bridge, prefix: uniquePrefix('rl') }) }] : []),
    ...(redisUrl() ? [{ name: 'redis-tcp' as const, create: () => createRedisRateLimiter({ url: redisUrl()!, prefix: uniquePrefix('rl') }) }] : []),
  ]
}

function withKeyPrefix(store: KeyValueStore, prefix: string): KeyValueStore {
  const key = (name: string) => `${prefix}:${name}`
  return {
    getMany: (names) => store.getMany(names.map(key)),
    set: (name, value, ttlSeconds) => store.set(key(name), value, ttlSeconds),
  }
}
