import { getConfig } from '@/lib/config'

// CORS for bearer-mode browser clients on other origins (SPEC §3, CORS_ALLOWED_ORIGINS): exact
// origins only, and never Access-Control-Allow-Credentials, so a cross-origin page can send its
// own Authorization header but never ride on this site's cookies (cookie mode stays same-site).
// A disallowed origin gets no CORS headers at all: the browser then withholds the answer.

const METHODS = 'GET, POST, PUT, PATCH, DELETE'
const HEADERS = 'Authorization, Content-Type, X-Device-Id'
const MAX_AGE = '600'

/** The allowed origin this request came from, or undefined. */
function allowedOrigin(headers: Headers): string | undefined {
  const origin = headers.get('origin')
  return origin && getConfig().cors.allowedOrigins.has(origin) ? origin : undefined
}

/** Adds the CORS headers an answer to this request needs (errors included). Returns the response. */
export function withCors<R extends Response>(request: Request, response: R): R {
  const { allowedOrigins } = getConfig().cors
  if (allowedOrigins.size === 0) return response
  // The answer depends on Origin wherever CORS is on: caches must keep one per origin.
  response.headers.append('Vary', 'Origin')
  const origin = allowedOrigin(request.headers)
  if (origin) {
    response.headers.set('Access-Control-Allow-Origin', origin)
    response.headers.set('Access-Control-Expose-Headers', 'Retry-After')
  }
  return response
}

/**
 * OPTIONS: a CORS preflight from an allowed origin gets the methods and headers bearer mode needs;
 * anything else gets a bare 204 with `Allow` (no CORS headers, so the browser refuses).
 */
export function preflight(request: Request): Response {
  const headers = new Headers({ Allow: `${METHODS}, OPTIONS`, 'Cache-Control': 'private, no-store' })
  const origin = allowedOrigin(request.headers)
  if (origin && request.headers.has('access-control-request-method')) {
    headers.set('Access-Control-Allow-Origin', origin)
    headers.set('Access-Control-Allow-Methods', METHODS)
    headers.set('Access-Control-Allow-Headers', HEADERS)
    headers.set('Access-Control-Max-Age', MAX_AGE)
  }
  return withVary(new Response(null, { status: 204, headers }))
}

function withVary(response: Response): Response {
  if (getConfig().cors.allowedOrigins.size > 0) response.headers.append('Vary', 'Origin')
  return response
}
