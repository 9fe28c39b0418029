import type { IncomingMessage } from 'node:http'
import http from 'node:http'
import type { TLSSocket } from 'node:tls'
import { PEER_HEADER, PEER_PROTO_HEADER } from './client-info'

/**
 * Route handlers get no socket (Next removed `request.ip`), and `next start` fills
 * X-Forwarded-For with the socket address only when the client sent none (`??=`), so a client
 * talking to Next directly could name any address. This stamps the real peer address on every
 * incoming request under a header of our own, overwriting whatever a client sent in it, and
 * likewise whether the socket is TLS (Next fills X-Forwarded-Proto with `??=` too).
 * Installed once from instrumentation.ts; self-hosted only (Vercel has its own header).
 */

const globalPatch = globalThis as { __njjwtPeerPatched?: boolean }

export function stampPeerAddresses(): void {
  if (globalPatch.__njjwtPeerPatched) return
  globalPatch.__njjwtPeerPatched = true
  const emit = http.Server.prototype.emit
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const request = args[0] as IncomingMessage
      request.headers[PEER_HEADER] = request.socket?.remoteAddress ?? ''
      request.headers[PEER_PROTO_HEADER] = (request.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http'
    }
    return (emit as (...all: unknown[]) => boolean).apply(this, [event, ...args])
  } as typeof emit
}
