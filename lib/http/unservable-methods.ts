import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import { ERRORS, errorTypeUrl } from '@/lib/shared/error-codes'

/**
 * Next serves seven methods (its HTTP_METHODS). Any other method Node's parser takes still reaches
 * Next, which answers PROPFIND, REPORT and the like with a bare 400, and TRACE, which
 * the Fetch API's Request refuses to construct, with a 500 and a logged TypeError (found by the
 * scale suite's fuzz, issue 10). So the server answers them itself, before Next sees them: 405
 * problem+json with `Allow` (RFC 9110 §15.5.6), like a route for a method it does not take
 * (lib/http/methods.ts). Installed once from instrumentation.ts; self-hosted only.
 */
export const SERVED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

const served = new Set<string>(SERVED_METHODS)
const globalPatch = globalThis as { __njjwtMethodsPatched?: boolean }

export function refuseUnservableMethods(): void {
  if (globalPatch.__njjwtMethodsPatched) return
  globalPatch.__njjwtMethodsPatched = true
  const emit = http.Server.prototype.emit
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request' && !served.has((args[0] as IncomingMessage).method ?? '')) {
      answerMethodNotAllowed(args[0] as IncomingMessage, args[1] as ServerResponse)
      return true
    }
    return (emit as (...all: unknown[]) => boolean).apply(this, [event, ...args])
  } as typeof emit
}

function answerMethodNotAllowed(request: IncomingMessage, response: ServerResponse) {
  const { status, title } = ERRORS.METHOD_NOT_ALLOWED
  const body = JSON.stringify({ type: errorTypeUrl('METHOD_NOT_ALLOWED'), title, status, detail: `This server does not take ${request.method}.`, code: 'METHOD_NOT_ALLOWED' })
  // Whatever body came is read and dropped first, so the connection stays usable for the next request.
  request.resume()
  request.once('end', () => {
    response.writeHead(status, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'private, no-store', Allow: SERVED_METHODS.join(', '), 'X-Content-Type-Options': 'nosniff' })
    response.end(body)
  })
}
