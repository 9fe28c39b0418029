import { onRedis, redisClient } from './redis-client'
import type { KeyValueStore } from './types'

/** The denylist KV on a Redis over TCP (REDIS_URL: self-hosted, containers, Vercel's Redis). */
export function createRedisKv(options: { url: string; prefix?: string }): KeyValueStore {
  const client = redisClient(options.url)
  const key = (name: string) => (options.prefix ? `${options.prefix}:${name}` : name)
  return {
    async getMany(keys) {
      if (keys.length === 0) return []
      return onRedis(client, 'MGET', (redis) => redis.mget(...keys.map(key)))
    },
    async set(name, value, ttlSeconds) {
      await onRedis(client, 'SET', (redis) => redis.set(key(name), value, 'EX', Math.max(1, Math.ceil(ttlSeconds))))
    },
  }
}
