import { Redis } from 'ioredis'
import { KvUnavailableError } from './errors'

// One ioredis connection per REDIS_URL per process (docs/decisions/018), shared by the denylist
// KV and the rate limiter. Every call is bounded: a Redis that is down, unreachable or hung is a
// KvUnavailableError within about a second (so the gate fails closed with 503, SPEC §6), never a
// request that waits for it. Reconnection goes on in the background, so a Redis that comes back
// is used again without a restart.

export const REDIS_TIMEOUT_MS = 1_000

const clients = new Map<string, Redis>()

export function redisClient(url: string): Redis {
  let client = clients.get(url)
  if (!client) {
    client = new Redis(url, {
      connectTimeout: REDIS_TIMEOUT_MS,
      commandTimeout: REDIS_TIMEOUT_MS,
      // While disconnected, commands fail at once instead of queueing until Redis is back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
      lazyConnect: false,
    })
    let reported = false
    client.on('error', (error: Error) => {
      // Each call already answers its own failure; say once per outage that Redis is gone.
      if (!reported) console.warn(`redis ${new URL(url).host}: ${error.message}`)
      reported = true
    })
    client.on('ready', () => (reported = false))
    clients.set(url, client)
  }
  return client
}

/** Until the connection is up, at most REDIS_TIMEOUT_MS (a fresh process, or Redis restarting). */
function ready(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady)
      reject(new Error(`not connected (${client.status})`))
    }, REDIS_TIMEOUT_MS)
    const onReady = () => {
      clearTimeout(timer)
      resolve()
    }
    client.once('ready', onReady)
  })
}

/** Runs one Redis operation; any failure (down, timeout, refused) is a KvUnavailableError. */
export async function onRedis<T>(client: Redis, operation: string, run: (client: Redis) => Promise<T>): Promise<T> {
  try {
    await ready(client)
    return await run(client)
  } catch (error) {
    throw new KvUnavailableError(`Redis ${operation} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
