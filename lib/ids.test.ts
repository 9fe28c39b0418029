import { createHash, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isId, newUuidV7, sha256, uuidV7Time } from './ids'

// Server ids (docs/decisions/007): UUIDv7 per RFC 9562 §5.7, whose first 48 bits are the Unix
// time in milliseconds, so a `jti` tells its issue time to the millisecond.
const AT = Date.parse('2026-01-05T09:00:00.123Z')

describe('newUuidV7', () => {
  it('lays out RFC 9562 §5.7: 48 bits of milliseconds, version 7, variant 10, then randomness', () => {
    const id = newUuidV7(AT)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    const hex = id.replaceAll('-', '')
    expect(parseInt(hex.slice(0, 12), 16)).toBe(AT)
    expect(hex[12]).toBe('7') // version: the high nibble of byte 6
    expect(parseInt(hex[16]!, 16) >> 2).toBe(0b10) // variant: the top two bits of byte 8
  })

  it('puts the time it is given in, even earlier than one it was given before (a clock stepping back)', () => {
    expect(uuidV7Time(newUuidV7(AT + 5_000))).toBe(AT + 5_000)
    expect(uuidV7Time(newUuidV7(AT))).toBe(AT)
  })

  it('defaults to now', () => {
    const before = Date.now()
    const time = uuidV7Time(newUuidV7())!
    expect(time).toBeGreaterThanOrEqual(before)
    expect(time).toBeLessThanOrEqual(Date.now())
  })

  it('never repeats, within one millisecond either', () => {
    const ids = Array.from({ length: 2_000 }, () => newUuidV7(AT))
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe('uuidV7Time', () => {
  it('reads back the millisecond of any UUIDv7, from the epoch to the end of 48 bits', () => {
    for (const ms of [0, 1, AT, 2 ** 48 - 1]) expect(uuidV7Time(newUuidV7(ms)), String(ms)).toBe(ms)
    expect(uuidV7Time('0190a0b0-c0d0-7123-8456-789abcdef012')).toBe(0x0190a0b0c0d0)
  })

  it('answers null for other UUID versions, another variant, and anything that is not a UUID', () => {
    const others = [
      randomUUID(), // version 4
      '0190a0b0-c0d0-1123-8456-789abcdef012', // version 1
      '0190a0b0-c0d0-6123-8456-789abcdef012', // version 6
      '0190a0b0-c0d0-8123-8456-789abcdef012', // version 8
      '0190a0b0-c0d0-7123-c456-789abcdef012', // variant 110 (Microsoft)
      '0190a0b0-c0d0-7123-0456-789abcdef012', // variant 0 (NCS)
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '0190a0b0c0d071238456789abcdef012', // no hyphens
      '0190a0b0-c0d0-7123-8456-789abcdef01', // one short
      '0190a0b0-c0d0-7123-8456-789abcdef012\n',
      '',
    ]
    for (const id of others) expect(uuidV7Time(id), id).toBeNull()
  })
})

describe('isId', () => {
  it('accepts any UUID, of any version, in either case', () => {
    for (const id of [newUuidV7(AT), randomUUID(), newUuidV7(AT).toUpperCase(), '00000000-0000-0000-0000-000000000000']) expect(isId(id), id).toBe(true)
  })

  it('refuses what must not reach a query: NUL bytes, padding, other shapes', () => {
    const id = newUuidV7(AT)
    for (const junk of ['', `${id}\u0000`, `\u0000${id}`, ` ${id}`, `${id} `, `${id}\n`, id.replaceAll('-', ''), id.slice(0, -1), `${id}0`, id.replace(/^./, 'g'), "' OR 1=1--", '..']) {
      expect(isId(junk), JSON.stringify(junk)).toBe(false)
    }
  })
})

describe('sha256', () => {
  it('is the SHA-256 digest in base64url, unpadded (FIPS 180-2 test vectors)', () => {
    expect(sha256('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0')
    expect(sha256('')).toBe('47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU')
    expect(sha256('a refresh token')).toMatch(/^[\w-]{43}$/)
  })

  it('hashes the UTF-8 bytes of the text', () => {
    expect(sha256('\u00e9')).toBe(createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('base64url'))
    expect(sha256('\u00e9')).not.toBe(sha256('e\u0301'))
  })
})
