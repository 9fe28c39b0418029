import type { NextRequest } from 'next/server'
import { getConfig } from '@/lib/config'
import type { Failure } from '@/lib/shared/outcome'
import type { ClientInfo } from '@/lib/shared/client-info'
import { GATE_VERDICT_HEADER } from '@/lib/shared/gate-header'
import { readClientInfo } from './client-info'
import { clearedSessionCookies, isSecureContext, readAuthCookies, sessionCookies, writeCookies, type CookieToSet } from './cookies'
import { assertSameOrigin } from './csrf'
import { requestOrigin } from './origin'
import { jsonResponse, problemResponse } from './problem'

// The one auth edge (SPEC §3) for every route handler and for proxy.ts: it reads a request into
// one value (which transport, which tokens, which device, who is asking) and turns a use case's
// outcome into the answer (cookies or JSON tokens, problem+json, Retry-After). The rules of what
// a token may do live in lib/auth; this module only knows HTTP.

export type Transport = 'cookie' | 'bearer'

export type AuthRequest = {
  transport: Transport
  /** The access token: `Authorization: Bearer` in bearer mode, the access cookie in cookie mode. */
  accessToken?: string
  /** The refresh token: the JSON body's `refreshToken` in bearer mode, the refresh cookie in cookie mode. */
  refreshToken?: string
  /** `X-Device-Id` in bearer mode, the device cookie in cookie mode (SPEC §5). */
  deviceId?: string
  /** Who is asking (SPEC §5); worked out on first use, since a valid token's request never needs it. */
  readonly client: ClientInfo
  /** This site's origin as the browser used it (lib/http/origin.ts). */
  origin: string
  /** Secure cookies (`__Host-` names) apply. */
  secure: boolean
  /** The gate's verdict on this request, if it came through the gate (lib/auth/gate-verdict.ts), and what it is bound to. */
  gate: { verdict: string | undefined; method: string; path: string }
}

/** What the use cases need to authenticate the caller (lib/auth/access.ts). */
export function credential(auth: AuthRequest): { accessToken: string | undefined; refreshCookie: boolean; gate: AuthRequest['gate'] } {
  return { accessToken: auth.accessToken, refreshCookie: auth.transport === 'cookie' && auth.refreshToken !== undefined, gate: auth.gate }
}

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i

/** `Authorization: Bearer …` (SPEC §3), or undefined. */
export function bearerToken(headers: Headers): string | undefined {
  return BEARER.exec(headers.get('authorization') ?? '')?.[1]
}

/**
 * Reads a request. Bearer mode is a token in the `Authorization` header or a `refreshToken` in the
 * body (`body` is what the route parsed), or what the body's `transport` says at sign-in; it reads
 * no cookie at all, so a cross-site request cannot claim it and still act on cookies. Cookie mode
 * reads the cookies, and a state-changing request in cookie mode is CSRF-checked here, before
 * anything acts on them: 403 CSRF_REJECTED.
 */
export function readAuthRequest(request: Request | NextRequest, body: { refreshToken?: string; transport?: Transport } = {}): AuthRequest {
  const origin = requestOrigin(request)
  const secure = isSecureContext(origin)
  const bearer = bearerToken(request.headers)
  const transport = body.transport ?? (bearer !== undefined || body.refreshToken !== undefined ? 'bearer' : 'cookie')
  const path = 'nextUrl' in request ? request.nextUrl.pathname : new URL(request.url).pathname
  const gate = { verdict: request.headers.get(GATE_VERDICT_HEADER) ?? undefined, method: request.method, path }
  let client: ClientInfo | undefined
  const lazyClient = () => (client ??= readClientInfo(request.headers))
  if (transport === 'bearer') {
    const deviceId = request.headers.get('x-device-id') ?? undefined
    return { transport, accessToken: bearer, refreshToken: body.refreshToken, deviceId, origin, secure, gate, get client() { return lazyClient() } }
  }
  assertSameOrigin(request)
  const cookies = readAuthCookies('cookies' in request ? request.cookies : request.headers, secure)
  return { transport, accessToken: cookies.access, refreshToken: cookies.refresh, deviceId: cookies.device, origin, secure, gate, get client() { return lazyClient() } }
}

/** A token pair as the use cases issue it (lib/auth/rotation.ts): values and expiry times. */
export type IssuedPair = { accessToken: string; refreshToken: string; access: { exp: number }; refresh: { exp: number } }
export type Issued = { tokens: IssuedPair; rememberMe: boolean; deviceId: string }

/** The cookies that carry a new pair in cookie mode. */
export function pairCookies(auth: Pick<AuthRequest, 'secure'>, { tokens, rememberMe, deviceId }: Issued, nowMs = Date.now()) {
  const nowSeconds = Math.floor(nowMs / 1000)
  return sessionCookies(auth.secure, {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accessMaxAge: tokens.access.exp - nowSeconds + getConfig().ttl.expiryGrace,
    refreshMaxAge: rememberMe ? tokens.refresh.exp - nowSeconds : undefined,
    deviceId,
  })
}

/**
 * A new pair leaves: HttpOnly cookies in cookie mode (the JSON carries expiry times only), the JSON
 * body in bearer mode (SPEC §3). Either way `Cache-Control: private, no-store`.
 */
export function sessionResponse(auth: AuthRequest, body: Record<string, unknown>, issued: Issued, status = 200): Response {
  if (auth.transport === 'bearer') {
    return jsonResponse({ ...body, accessToken: issued.tokens.accessToken, refreshToken: issued.tokens.refreshToken, deviceId: issued.deviceId }, { status })
  }
  const response = jsonResponse(body, { status })
  writeCookies(response.headers, pairCookies(auth, issued))
  return response
}

/**
 * After a failed refresh: the cookies of a session that cannot go on (cookie mode), cleared, so the
 * browser stops presenting them. Not after 429 or 503, which end nothing.
 */
export function deadSessionCookies(auth: Pick<AuthRequest, 'secure' | 'transport'>, failure: Pick<Failure, 'code'>): CookieToSet[] {
  const terminal = failure.code !== 'RATE_LIMITED' && failure.code !== 'SERVICE_UNAVAILABLE'
  return auth.transport === 'cookie' && terminal ? clearedSessionCookies(auth.secure) : []
}

/** problem+json for a failed use case; `endsSession`: the dead cookies go too (deadSessionCookies). */
export function failureResponse(auth: Pick<AuthRequest, 'origin' | 'secure' | 'transport'>, failure: Failure, options: { endsSession?: boolean } = {}): Response {
  const response = problemResponse(failure.code, { origin: auth.origin, detail: failure.detail, errors: failure.errors, retryAfter: failure.retryAfter })
  if (options.endsSession) writeCookies(response.headers, deadSessionCookies(auth, failure))
  return response
}

/** Clears the auth cookies on `response` (cookie mode; bearer mode sets no cookies, SPEC §3). */
export function clearCookies(auth: Pick<AuthRequest, 'secure' | 'transport'>, response: Response): Response {
  if (auth.transport === 'cookie') writeCookies(response.headers, clearedSessionCookies(auth.secure))
  return response
}

/** The usual answer: the failure as problem+json, or `render(value)` as JSON. */
export function answer<T extends object>(auth: AuthRequest, outcome: ({ ok: true } & T) | Failure, render: (value: T) => unknown, status = 200): Response {
  if (!outcome.ok) return failureResponse(auth, outcome)
  return jsonResponse(render(outcome as T), { status })
}

/**
 * Server Components: the access cookie of the request being rendered, read by the same origin
 * rule as the gate and the route handlers, so a client's X-Forwarded-Proto cannot make a page
 * read another cookie name than the gate checked.
 */
export async function pageAccessToken(): Promise<string | undefined> {
  const { cookies, headers } = await import('next/headers')
  const [jar, head] = await Promise.all([cookies(), headers()])
  return readAuthCookies(jar, isSecureContext(requestOrigin({ headers: head }))).access
}
