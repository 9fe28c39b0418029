import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

// The successor tokens of a rotation are kept sealed under a key derived from the *used* refresh
// token's value. Only its holder can open them again (the reuse-grace replay, SPEC §4.4), and the
// database, which stores only a hash of that value, cannot.

function keyFrom(token: string, salt: string): Buffer {
  return Buffer.from(hkdfSync('sha256', token, salt, 'nj-jwt successor seal v1', 32))
}

export function seal(plaintext: string, token: string, salt: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyFrom(token, salt), iv)
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
}

export function unseal(sealed: string, token: string, salt: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64url')
    if (raw.length < 28) return null
    // A full 16-byte tag only: GCM would otherwise accept a truncated one (NIST SP 800-38D §5.2.1.2).
    const decipher = createDecipheriv('aes-256-gcm', keyFrom(token, salt), raw.subarray(0, 12), { authTagLength: 16 })
    decipher.setAuthTag(raw.subarray(12, 28))
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
