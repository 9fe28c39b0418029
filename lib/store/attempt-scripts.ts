import type { AttemptResult, AttemptVerdict, RateLimitRule } from './types'

// beginAttempt/endAttempt (lib/store/types.ts) on Redis, as Lua so each is one atomic round trip
// on every instance. KEYS[1] counts the window's wrong guesses (it expires with the window, whose
// number is in its name, and it lives until the window's end by the caller's clock); KEYS[2] counts the checks in flight (it expires after the hold).

export const BEGIN_ATTEMPT = `
local failed = tonumber(redis.call('GET', KEYS[1]) or '0')
if failed >= tonumber(ARGV[1]) then return -1 end
local pending = tonumber(redis.call('GET', KEYS[2]) or '0')
if failed + pending >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`

export const END_ATTEMPT = `
local pending = tonumber(redis.call('GET', KEYS[2]) or '0')
if pending > 1 then redis.call('DECR', KEYS[2]) elseif pending == 1 then redis.call('DEL', KEYS[2]) end
if ARGV[1] == 'correct' then redis.call('DEL', KEYS[1]) end
if ARGV[1] == 'wrong' then
  redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
`

/** The two keys of `key` under `rule` now, and when the current window ends (ms since the epoch). */
export function attemptKeys(prefix: string, key: string, rule: RateLimitRule, now = Date.now()) {
  const windowMs = rule.windowSeconds * 1000
  const window = Math.floor(now / windowMs)
  const id = `${prefix}:attempt:${rule.limit}:${rule.windowSeconds}`
  return { failures: `${id}:failed:${window}:${key}`, pending: `${id}:pending:${key}`, windowEndsAt: (window + 1) * windowMs }
}

export function beginArgs(rule: RateLimitRule, holdSeconds: number): string[] {
  return [String(rule.limit), String(Math.max(1, Math.round(holdSeconds * 1000)))]
}

/**
 * The failure count lives until the window ends, as a TTL from the caller's clock: the window is
 * the caller's (its number is in the key), Redis's own clock only cleans up.
 */
export function endArgs(result: AttemptResult, windowEndsAt: number, now = Date.now()): string[] {
  return [result, String(Math.max(1, windowEndsAt - now))]
}

/** The script's answer as a verdict: 1 go, 0 wait, -1 locked until the window ends. */
export function verdictOf(reply: unknown, windowEndsAt: number, now = Date.now()): AttemptVerdict {
  const value = Number(reply)
  if (value === 1) return { state: 'go' }
  if (value === 0) return { state: 'wait' }
  return { state: 'locked', retryAfterSeconds: Math.max(1, Math.ceil((windowEndsAt - now) / 1000)) }
}
