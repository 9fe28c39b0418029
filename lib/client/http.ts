// The wire under api.ts and refresh.ts: JSON in, Response out, cookies along (same origin
// only), and a few retries with backoff when the network (not the server) fails.

import { networkState } from './connection-state'
import { noteServerDate } from './server-time'

export type SendInit = {
  method?: string
  /** Sent as JSON. Kept as a value, not a stream, so a request can be replayed after a refresh. */
  body?: unknown
  /** Retry network failures. Default: only for idempotent methods, where a repeat is harmless. */
  retry?: boolean
}

/** Waits before the 2nd and 3rd try: three tries in all, about two seconds of patience. */
export const RETRY_DELAYS_MS = [500, 1500]
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])

export class NetworkError extends Error {
  override name = 'NetworkError'
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function sendRequest(path: string, init: SendInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase()
  const delays = (init.retry ?? IDEMPOTENT.has(method)) ? RETRY_DELAYS_MS : []
  const hasBody = init.body !== undefined
  for (let attempt = 0; ; attempt++) {
    try {
      const sentAt = Date.now()
      const response = await fetch(path, {
        method,
        headers: hasBody ? { Accept: 'application/json', 'Content-Type': 'application/json' } : { Accept: 'application/json' },
        body: hasBody ? JSON.stringify(init.body) : undefined,
        // Cookies go only to this origin; a token never rides along to anyone else.
        credentials: 'same-origin',
        cache: 'no-store',
      })
      networkState.set('online')
      noteServerDate(response.headers.get('date'), sentAt, Date.now())
      return response
    } catch (error) {
      // fetch rejects only when no answer came (offline, DNS, connection reset).
      const delay = delays[attempt]
      if (delay === undefined) {
        networkState.set('offline')
        throw new NetworkError(error instanceof Error ? error.message : 'Network request failed')
      }
      networkState.set('reconnecting')
      await wait(delay)
    }
  }
}
