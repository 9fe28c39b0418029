import { createHash, randomBytes } from 'node:crypto'

/**
 * UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then randomness. Used for every `jti`,
 * so the denylist can compare a token's issue time to the millisecond (a JWT `iat` only has seconds).
 */
export function newUuidV7(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16)
  bytes.writeUIntBE(nowMs, 0, 6)
  bytes[6] = (bytes[6]! & 0x0f) | 0x70
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The millisecond timestamp inside a UUIDv7, or null for anything else. */
export function uuidV7Time(id: string): number | null {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) return null
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16)
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}
