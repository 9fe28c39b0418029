import type { KeyValueStore } from './types'

type Entry = { value: string; expiresAt: number }

/**
 * The embedded default: a Map in this process with lazy expiry on read and a sweep on write,
 * so memory stays bounded by the live keys. Time comes from Date.now (fake clocks work).
 */
export function createMemoryKv(): KeyValueStore {
  const entries = new Map<string, Entry>()
  let writesSinceSweep = 0

  function read(key: string): string | null {
    const entry = entries.get(key)
    if (!entry) return null
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key)
      return null
    }
    return entry.value
  }

  function write(key: string, value: string, ttlSeconds: number): void {
    entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 })
    if (++writesSinceSweep >= 1000) {
      writesSinceSweep = 0
      const now = Date.now()
      for (const [k, entry] of entries) if (entry.expiresAt <= now) entries.delete(k)
    }
  }

  return {
    async getMany(keys) {
      return keys.map(read)
    },
    async set(key, value, ttlSeconds) {
      write(key, value, ttlSeconds)
    },
  }
}
