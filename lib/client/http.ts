// The wire under the API client and the refresh: JSON in, Response out, cookies along (same
// origin only), and a few retries with backoff when the network (not the server) fails.

import type { ExternalStore } from './external-store'
import type { ServerTime } from './server-time'

export type SendInit = {
  method?: string
  /** Sent as JSON. Kept as a value, not a stream, so a request can be replayed after a refresh. */
  body?: unknown
  /** Retry network failures. Default: only for idempotent methods, where a repeat is harmless. */
  retry?: boolean
}

/** `reconnecting`: a request failed on the network and is being retried; `offline`: retries ran out. */
export type NetworkState = 'online' | 'reconnecting' | 'offline'

/** Waits before the 2nd and 3rd try: three tries in all, about two seconds of patience. */
export const RETRY_DELAYS_MS = [500, 1500]
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])

export class NetworkError extends Error {
  override name = 'NetworkError'
}

export type SendRequest = (path: string, init?: SendInit) => Promise<Response>

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type HttpDeps = { fetch: typeof fetch; now: () => number; serverTime: ServerTime; network: ExternalStore<NetworkState> }

export function createSendRequest({ fetch, now, serverTime, network }: HttpDeps): SendRequest {
  return async function sendRequest(path, init = {}) {
    const method = (init.method ?? 'GET').toUpperCase()
    const delays = (init.retry ?? IDEMPOTENT.has(method)) ? RETRY_DELAYS_MS : []
    const hasBody = init.body !== undefined
    for (let attempt = 0; ; attempt++) {
      try {
        const sentAt = now()
        const response = await fetch(path, {
          method,
          headers: hasBody ? { Accept: 'application/json', 'Content-Type': 'application/json' } : { Accept: 'application/json' },
          body: hasBody ? JSON.stringify(init.body) : undefined,
          // Cookies go only to this origin; a token never rides along to anyone else.
          credentials: 'same-origin',
          cache: 'no-store',
        })
        network.set('online')
        serverTime.noteServerDate(response.headers.get('date'), sentAt, now())
        return response
      } catch (error) {
        // fetch rejects only when no answer came (offline, DNS, connection reset).
        const delay = delays[attempt]
        if (delay === undefined) {
          network.set('offline')
          throw new NetworkError(error instanceof Error ? error.message : 'Network request failed')
        }
        network.set('reconnecting')
        await wait(delay)
      }
    }
  }
}
