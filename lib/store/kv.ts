import { getConfig } from '@/lib/config'
import { createMemoryKv } from './kv-memory'
import { createRedisKv } from './kv-redis'
import { createUpstashKv } from './kv-upstash'
import type { KeyValueStore } from './types'

export { KvUnavailableError } from './errors'
export type { KeyValueStore } from './types'

const globalKv = globalThis as { __njjwtKv?: KeyValueStore }

export function getKv(): KeyValueStore {
  if (!globalKv.__njjwtKv) {
    const { kv } = getConfig()
    globalKv.__njjwtKv = kv.kind === 'upstash' ? createUpstashKv(kv) : kv.kind === 'redis' ? createRedisKv(kv) : createMemoryKv()
  }
  return globalKv.__njjwtKv
}
