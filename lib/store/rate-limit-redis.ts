import type { Redis } from 'ioredis'
import { attemptKeys, BEGIN_ATTEMPT, beginArgs, END_ATTEMPT, endArgs, verdictOf } from './attempt-scripts'
import { onRedis, redisClient } from './redis-client'
import type { RateLimiter, RateLimitRule } from './types'

// Fixed windows aligned to the epoch, as the contract has them (lib/store/types.ts): the window
// number, from the caller's clock, is in the key; INCR and, on the first hit, a TTL to the window's
// end, in one Lua script so instances never race between the two.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
`

type Scripted = Redis & {
  njjwtHit(key: string, ttlMs: string): Promise<number>
  njjwtBeginAttempt(failures: string, pending: string, ...args: string[]): Promise<number>
  njjwtEndAttempt(failures: string, pending: string, ...args: string[]): Promise<number>
}

function scripted(client: Redis): Scripted {
  // defineCommand sends EVALSHA and falls back to EVAL once per script.
  if (!('njjwtHit' in client)) {
    client.defineCommand('njjwtHit', { numberOfKeys: 1, lua: HIT })
    client.defineCommand('njjwtBeginAttempt', { numberOfKeys: 2, lua: BEGIN_ATTEMPT })
    client.defineCommand('njjwtEndAttempt', { numberOfKeys: 2, lua: END_ATTEMPT })
  }
  return client as Scripted
}

export function createRedisRateLimiter(options: { url: string; prefix?: string }): RateLimiter {
  const redis = scripted(redisClient(options.url))
  const prefix = options.prefix ?? 'rl'
  const windowOf = (key: string, { limit, windowSeconds }: RateLimitRule, now: number) => {
    const windowMs = windowSeconds * 1000
    const window = Math.floor(now / windowMs)
    return { id: `${prefix}:${limit}:${windowSeconds}:${window}:${key}`, endsAt: (window + 1) * windowMs }
  }
  return {
    async limit(key, rule) {
      const now = Date.now()
      const window = windowOf(key, rule, now)
      const count = await onRedis(redis, 'limit', () => redis.njjwtHit(window.id, String(Math.max(1, window.endsAt - now))))
      const ok = count <= rule.limit
      return { ok, remaining: Math.max(0, rule.limit - count), retryAfterSeconds: ok ? 0 : Math.max(1, Math.ceil((window.endsAt - now) / 1000)) }
    },
    async reset(key, rule) {
      await onRedis(redis, 'reset', () => redis.del(windowOf(key, rule, Date.now()).id))
    },
    async beginAttempt(key, rule, holdSeconds) {
      const keys = attemptKeys(prefix, key, rule)
      const reply = await onRedis(redis, 'beginAttempt', () => redis.njjwtBeginAttempt(keys.failures, keys.pending, ...beginArgs(rule, holdSeconds)))
      return verdictOf(reply, keys.windowEndsAt)
    },
    async endAttempt(key, rule, result) {
      const keys = attemptKeys(prefix, key, rule)
      await onRedis(redis, 'endAttempt', () => redis.njjwtEndAttempt(keys.failures, keys.pending, ...endArgs(result, keys.windowEndsAt)))
    },
  }
}
