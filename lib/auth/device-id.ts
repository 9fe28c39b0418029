import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { KeySet } from './keys'

// Device ids (SPEC §5) are issued by the server and carry a MAC, so a device id that a client
// makes up, or one planted in a browser (a cookie tossed from a sibling site), is not adopted as a
// new session's device: the refresh-token binding must rest on an id we chose. Layout: 16 random
// bytes then the first 16 bytes of HMAC-SHA256 over them, both base64url (22 + 22 characters).

const PART = 22
const SHAPE = /^[A-Za-z0-9_-]{44}$/

function mac(key: Buffer, nonce: string): string {
  return createHmac('sha256', key).update(nonce).digest().subarray(0, 16).toString('base64url')
}

export function issueDeviceId(keys: Pick<KeySet, 'deviceIdKeys'>): string {
  const nonce = randomBytes(16).toString('base64url')
  return nonce + mac(keys.deviceIdKeys[0]!, nonce)
}

/** True for an id one of our keys issued (any configured key: ids outlive a key rotation). */
export function isIssuedDeviceId(candidate: string, keys: Pick<KeySet, 'deviceIdKeys'>): boolean {
  if (!SHAPE.test(candidate)) return false
  const nonce = candidate.slice(0, PART)
  // Compared as text: a second spelling of the same bytes is not an id we issued.
  const given = Buffer.from(candidate.slice(PART))
  return keys.deviceIdKeys.some((key) => timingSafeEqual(given, Buffer.from(mac(key, nonce))))
}

/** The device id for a sign-in: the one the browser or client offered if we issued it, else a new one. */
export function acceptDeviceId(candidate: string | null | undefined, keys: Pick<KeySet, 'deviceIdKeys'>): string {
  return candidate && isIssuedDeviceId(candidate, keys) ? candidate : issueDeviceId(keys)
}
