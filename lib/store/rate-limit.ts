import { getConfig } from '@/lib/config'
import { createMemoryRateLimiter } from './rate-limit-memory'
import { createRedisRateLimiter } from './rate-limit-redis'
import { createUpstashRateLimiter } from './rate-limit-upstash'
import type { RateLimiter } from './types'

export type { RateLimiter, RateLimitResult, RateLimitRule } from './types'

const globalLimiter = globalThis as { __njjwtRateLimiter?: RateLimiter }

export function getRateLimiter(): RateLimiter {
  if (!globalLimiter.__njjwtRateLimiter) {
    const { kv } = getConfig()
    globalLimiter.__njjwtRateLimiter =
      kv.kind === 'upstash' ? createUpstashRateLimiter(kv) : kv.kind === 'redis' ? createRedisRateLimiter(kv) : createMemoryRateLimiter()
  }
  return globalLimiter.__njjwtRateLimiter
}
