import { createHash } from 'node:crypto'
import { v7 } from 'uuid'

// Ids the server hands out and the hash it stores of secrets. Server-only (node:crypto), without
// app imports, so every layer may use it.

/**
 * UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then randomness. Every `jti` is one, so
 * the denylist can compare a token's issue time to the millisecond (a JWT `iat` only has seconds,
 * docs/decisions/007). The time is passed in, never taken from the library's monotonic state: that
 * state keeps the largest time it saw, so after a clock step back a token would claim to be newer
 * than a revocation that came after it.
 */
export function newUuidV7(nowMs: number = Date.now()): string {
  return v7({ msecs: nowMs })
}

/** The millisecond timestamp inside a UUIDv7, or null for anything else. */
export function uuidV7Time(id: string): number | null {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) return null
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16)
}

// Every id we hand out (users, sessions, jti) is a UUID. Checking the shape before a query keeps
// junk, such as NUL bytes that Postgres text cannot hold, away from the database.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isId(value: string): boolean {
  return UUID.test(value)
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}
