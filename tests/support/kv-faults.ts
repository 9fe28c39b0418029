import { KvUnavailableError, type KeyValueStore } from '@/lib/store/kv'

/**
 * A store whose writes can be switched to fail, as on a Redis that is unreachable for writes or
 * refuses them (read-only replica after a failover, `maxmemory` with `noeviction`) while reads
 * still answer: the gate keeps checking the denylist, but nothing new gets onto it.
 */
export function kvWithFailingWrites(inner: KeyValueStore): { store: KeyValueStore; failWrites(on: boolean): void } {
  let failing = false
  const store: KeyValueStore = {
    getMany: (keys) => inner.getMany(keys),
    async set(key, value, ttlSeconds) {
      if (failing) throw new KvUnavailableError(`KV write of ${key.split(':').slice(0, 2).join(':')} refused (test)`)
      await inner.set(key, value, ttlSeconds)
    },
  }
  return { store, failWrites: (on) => void (failing = on) }
}
