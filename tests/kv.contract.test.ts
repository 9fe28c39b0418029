import { beforeEach, describe, expect, it, vi } from 'vitest'
import { KvUnavailableError, type KeyValueStore } from '@/lib/store/kv'
import { createUpstashKv } from '@/lib/store/kv-upstash'
import { kvBackends } from './support/backends'

// Habit 3 (STYLE.md): every KV implementation passes this one suite. The interface is what the
// denylist uses (SPEC §6): `set` with a TTL and one `getMany` round trip.
describe.each(kvBackends())('KeyValueStore contract: $name', ({ name, create }) => {
  let kv: KeyValueStore
  beforeEach(() => {
    kv = create()
  })
  const read = async (key: string) => (await kv.getMany([key]))[0]

  it('returns the value that was set, and null for a key never set', async () => {
    await kv.set('session:1', 'alive', 60)
    expect(await read('session:1')).toBe('alive')
    expect(await read('session:never-set')).toBeNull()
  })

  it('reads several keys in one call, in the order asked, with null for missing ones', async () => {
    await kv.set('deny:a', '1', 60)
    await kv.set('deny:c', '3', 60)
    expect(await kv.getMany(['deny:c', 'deny:missing', 'deny:a', 'deny:c'])).toEqual(['3', null, '1', '3'])
    expect(await kv.getMany([])).toEqual([])
  })

  it('overwrites a value that is set again', async () => {
    await kv.set('key', 'first', 60)
    await kv.set('key', 'second', 60)
    expect(await read('key')).toBe('second')
  })

  // The Upstash client JSON-parses results unless automaticDeserialization is off, and
  // it base64-decodes every string: values must come back exactly as they went in.
  it.each([
    ['unicode', 'ünïcødé ✓ 🔐 日本'],
    ['colons', 'user:42:session:7'],
    ['a JSON object', '{"sub":"42","role":"admin"}'],
    ['a JSON number', '123'],
    ['a number with leading zeros', '007'],
    ['a JSON literal', 'null'],
    ['a JSON string', '"quoted"'],
    ['the status word OK', 'OK'],
    ['a base64-looking string', 'T0s='],
    ['surrounding spaces', '  spaced  '],
  ])('keeps a value with %s exactly as it was set', async (_, value) => {
    await kv.set(`value:${value}`, value, 60)
    expect(await kv.getMany([`value:${value}`, 'value:missing'])).toEqual([value, null])
  })

  if (name === 'memory') {
    // The embedded store reads Date.now, so a fake clock moves it exactly.
    const advance = (ms: number) => vi.setSystemTime(Date.now() + ms)
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    })

    it('forgets a value when its TTL has passed', async () => {
      await kv.set('short', 'lived', 1)
      advance(999)
      expect(await read('short')).toBe('lived')
      advance(1)
      expect(await read('short')).toBeNull()
      expect(await kv.getMany(['short'])).toEqual([null])
    })
  } else {
    // A fake clock cannot move Redis's clock: TTLs expire on the server in real time.
    // These tests use 1 s TTLs and poll with a bounded wait instead.
    it('forgets a value when its TTL has passed', async () => {
      const start = Date.now()
      await kv.set('short', 'lived', 1)
      expect(await read('short')).toBe('lived')
      const expiredAfter = await waitUntil(async () => (await read('short')) === null, 3_000)
      expect(expiredAfter - start).toBeGreaterThanOrEqual(900)
      expect(await kv.getMany(['short'])).toEqual([null])
    })
  }
})

describe('KeyValueStore over an unreachable Upstash endpoint', () => {
  // Nothing listens on port 9 (discard): the connection is refused at once.
  const kv = createUpstashKv({ url: 'http://127.0.0.1:9', token: 'unused' })

  it.each([
    ['getMany', () => kv.getMany(['a', 'b'])],
    ['set', () => kv.set('key', 'value', 60)],
  ])('%s rejects with KvUnavailableError quickly instead of hanging', async (_, call) => {
    const start = Date.now()
    await expect(call()).rejects.toBeInstanceOf(KvUnavailableError)
    expect(Date.now() - start).toBeLessThan(2_000)
  })
})

/** Polls `check` every 25 ms; resolves with the time it first held, fails after `timeoutMs`. */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return Date.now()
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`Condition not met within ${timeoutMs} ms`)
}
