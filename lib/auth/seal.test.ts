import { describe, expect, it } from 'vitest'
import { seal, unseal } from './seal'

// The successor seal of the reuse grace (SPEC §4.4, docs/decisions/005): AES-256-GCM under a key
// derived from the used refresh token and a salt. Opening it is all or nothing: the plaintext, or
// null for anything else, never an exception.
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJ0eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJl'
const SALT = '0190a0b0-0000-7000-8000-000000000001'
const SECRET = JSON.stringify({ accessToken: 'a.b.c', refreshToken: 'd.e.f' })

const IV = 12
const TAG = 16

/** The sealed bytes with `index` flipped (a negative index counts from the end). */
function flipByte(sealed: string, index: number): string {
  const raw = Buffer.from(sealed, 'base64url')
  raw[index < 0 ? raw.length + index : index]! ^= 0x01
  return raw.toString('base64url')
}

describe('seal and unseal', () => {
  it('round-trips with the same token and salt, unicode included', () => {
    for (const plaintext of [SECRET, 'é ü 🔑 \u0000 end', 'x'.repeat(10_000)]) expect(unseal(seal(plaintext, TOKEN, SALT), TOKEN, SALT)).toBe(plaintext)
  })

  it('seals the same plaintext differently each time (a fresh IV), and either opens', () => {
    const [a, b] = [seal(SECRET, TOKEN, SALT), seal(SECRET, TOKEN, SALT)]
    expect(a).not.toBe(b)
    expect([unseal(a, TOKEN, SALT), unseal(b, TOKEN, SALT)]).toEqual([SECRET, SECRET])
  })

  it('is base64url text that does not contain the plaintext', () => {
    const sealed = seal(SECRET, TOKEN, SALT)
    expect(sealed).toMatch(/^[\w-]+$/)
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('accessToken')
    expect(Buffer.from(sealed, 'base64url')).toHaveLength(IV + TAG + Buffer.byteLength(SECRET))
  })
})

describe('unseal refuses with null', () => {
  const sealed = seal(SECRET, TOKEN, SALT)

  it('another token, even one character off', () => {
    expect(unseal(sealed, `${TOKEN}x`, SALT)).toBeNull()
    expect(unseal(sealed, TOKEN.slice(0, -1), SALT)).toBeNull()
    expect(unseal(sealed, '', SALT)).toBeNull()
  })

  it('another salt', () => {
    expect(unseal(sealed, TOKEN, '0190a0b0-0000-7000-8000-000000000002')).toBeNull()
    expect(unseal(sealed, TOKEN, '')).toBeNull()
  })

  it('a tampered IV, tag or ciphertext', () => {
    for (const index of [0, IV - 1, IV, IV + TAG - 1, IV + TAG, -1]) expect(unseal(flipByte(sealed, index), TOKEN, SALT), `byte ${index}`).toBeNull()
  })

  it('a truncated or extended seal', () => {
    const raw = Buffer.from(sealed, 'base64url')
    for (const length of [0, 1, IV, IV + TAG, raw.length - 1]) expect(unseal(raw.subarray(0, length).toString('base64url'), TOKEN, SALT), `${length} bytes`).toBeNull()
    expect(unseal(Buffer.concat([raw, Buffer.from([0])]).toString('base64url'), TOKEN, SALT)).toBeNull()
  })

  it('text that is not base64url at all', () => {
    for (const junk of ['', '!!!', '%%%%%%%%', '\u0000'.repeat(40), '🔑'.repeat(20), ' '.repeat(64)]) expect(unseal(junk, TOKEN, SALT)).toBeNull()
  })

  it('never throws, whatever it is given', () => {
    for (let i = 0; i < 200; i++) {
      const junk = Buffer.from(Array.from({ length: i }, (_, j) => (i * 31 + j * 17) % 256)).toString(i % 2 ? 'base64url' : 'latin1')
      expect(() => unseal(junk, TOKEN, SALT)).not.toThrow()
    }
    expect(unseal(undefined as unknown as string, TOKEN, SALT)).toBeNull()
  })

  // Known gap, reported to the lib/auth owners: the decipher takes whatever tag length it is
  // given (GCM allows 4 to 16 bytes), so a seal of the empty string cut short still opens, with
  // a weaker tag. `createDecipheriv(…, { authTagLength: 16 })` closes it; then drop `.fails`.
  it('a seal of the empty string with its tag cut short', () => {
    const raw = Buffer.from(seal('', TOKEN, SALT), 'base64url')
    for (const length of [IV + 4, IV + 8, IV + TAG - 1]) expect(unseal(raw.subarray(0, length).toString('base64url'), TOKEN, SALT), `${length} bytes`).toBeNull()
  })
})
