import { requestOrigin } from '@/lib/http/origin'
import { isStoreUnavailable } from '@/lib/store/errors'
import { ERRORS, errorTypeUrl, type ErrorCode, type FieldErrors } from '@/lib/shared/error-codes'
import { getLogger } from '@/lib/telemetry/log'
import { countFailure } from '@/lib/telemetry/metrics'
import { withCors } from './cors'
import { ProblemError } from './errors'

// API answers are one person's (many set or clear auth cookies): no cache keeps them, and no
// shared cache even tries (RFC 9111 §5.2.2.5, §5.2.2.7; SPEC §3).
const NO_STORE = { 'Cache-Control': 'private, no-store' }

/** An RFC 9457 problem document. `type` is the app page that explains the code. */
export function problemResponse(
  code: ErrorCode,
  options: { detail?: string; errors?: FieldErrors; retryAfter?: number; origin?: string; closeConnection?: boolean } = {},
): Response {
  const { status, title } = ERRORS[code]
  countFailure(code)
  const body = {
    type: options.origin ? new URL(errorTypeUrl(code), options.origin).href : errorTypeUrl(code),
    title,
    status,
    detail: options.detail ?? title,
    code,
    ...(options.errors ? { errors: options.errors } : {}),
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json', ...NO_STORE }
  if (options.retryAfter !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(options.retryAfter)))
  // The rest of the request's body was never read: the connection cannot carry another request
  // (RFC 9112 §9.6), and a client that reused it would meet a reset.
  if (options.closeConnection) headers.Connection = 'close'
  return new Response(JSON.stringify(body), { status, headers })
}

export function jsonResponse(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers)
  headers.set('Content-Type', 'application/json')
  headers.set('Cache-Control', NO_STORE['Cache-Control'])
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers })
}

/** Renders any thrown value: expected failures as their problem, the rest as a logged 500 without internals. */
export function errorToResponse(error: unknown, request: Request): Response {
  const origin = requestOrigin(request)
  if (error instanceof ProblemError) {
    return problemResponse(error.code, { detail: error.detail, ...error.extra, origin })
  }
  if (isStoreUnavailable(error)) {
    getLogger().warn({ event: 'storage_unavailable', method: request.method, path: new URL(request.url).pathname, message: (error as Error).message })
    return problemResponse('SERVICE_UNAVAILABLE', { origin, retryAfter: 5 })
  }
  // Never a stack trace to the client; the log line names the route, not the request's tokens.
  getLogger().error({ event: 'unhandled', method: request.method, path: new URL(request.url).pathname, err: error })
  return problemResponse('INTERNAL', { origin })
}

type Handler<C> = (request: Request, context: C) => Promise<Response>

/** Wraps a route handler so every failure leaves as problem+json. */
export function route<C = unknown>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return withCors(request, await handler(request, context))
    } catch (error) {
      return withCors(request, errorToResponse(error, request))
    }
  }
}
