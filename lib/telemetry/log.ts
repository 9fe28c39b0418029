import pino, { type Logger } from 'pino'
import { getConfig } from '@/lib/config'

// SPEC §8a: one JSON line per event, through pino. Callers pass named fields only (event, code,
// session id, jti, ip, duration); never a token, a hash or a password (tests/observability.test.ts
// searches every line for them). One logger per process, in a globalThis slot like the other
// singletons (tests put one writing to memory there, tests/support/seams.ts).

const slot = globalThis as { __njjwtLogger?: Logger }

export function getLogger(): Logger {
  slot.__njjwtLogger ??= pino({ level: getConfig().logLevel, base: { service: 'nj-jwt' }, timestamp: pino.stdTimeFunctions.isoTime })
  return slot.__njjwtLogger
}

/** What an event's log line may carry: named fields, nothing free-form. */
export type EventFields = {
  event: string
  code?: string
  reason?: string
  userId?: string | null
  sessionId?: string | null
  tokenType?: string | null
  jti?: string | null
  ip?: string | null
  durationMs?: number
}

export function logEvent(level: 'info' | 'warn', fields: EventFields): void {
  const logger = getLogger()
  if (!logger.isLevelEnabled(level)) return
  const line: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null) line[key] = value
  logger[level](line)
}
