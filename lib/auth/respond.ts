import { requestOrigin } from '@/lib/http/origin'
import { getConfig } from '@/lib/config'
import { jsonResponse, problemResponse } from '@/lib/http/problem'
import type { ErrorCode } from '@/lib/shared/error-codes'
import { clearedSessionCookies, isSecureContext, serializeCookie, sessionCookies, type CookieToSet } from './cookies'
import type { IssuedTokens } from './issue'

// How issued tokens leave the server: HttpOnly cookies in cookie mode (the JSON carries expiry
// times only), the JSON body in bearer mode (SPEC §3).

export type Transport = 'cookie' | 'bearer'

export function issuedCookies(secure: boolean, tokens: IssuedTokens, rememberMe: boolean, deviceId: string, nowMs: number): CookieToSet[] {
  const nowSeconds = Math.floor(nowMs / 1000)
  return sessionCookies(secure, {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accessMaxAge: tokens.access.exp - nowSeconds + getConfig().ttl.expiryGrace,
    refreshMaxAge: rememberMe ? tokens.refresh.exp - nowSeconds : undefined,
    deviceId,
  })
}

export function tokensResponse(
  request: Request,
  body: Record<string, unknown>,
  issued: { transport: Transport; tokens: IssuedTokens; rememberMe: boolean; deviceId: string; nowMs: number },
  status = 200,
): Response {
  if (issued.transport === 'bearer') {
    return jsonResponse({ ...body, accessToken: issued.tokens.accessToken, refreshToken: issued.tokens.refreshToken, deviceId: issued.deviceId }, { status })
  }
  const headers = new Headers()
  for (const cookie of issuedCookies(isSecureContext(requestOrigin(request)), issued.tokens, issued.rememberMe, issued.deviceId, issued.nowMs)) {
    headers.append('Set-Cookie', serializeCookie(cookie))
  }
  return jsonResponse(body, { status, headers })
}

export function withClearedCookies(request: Request, response: Response): Response {
  for (const cookie of clearedSessionCookies(isSecureContext(requestOrigin(request)))) response.headers.append('Set-Cookie', serializeCookie(cookie))
  return response
}

/** A failed refresh or sign-in: problem+json, and in cookie mode the dead cookies go too. */
export function authFailure(request: Request, transport: Transport, code: ErrorCode, retryAfter?: number): Response {
  const response = problemResponse(code, { origin: requestOrigin(request), retryAfter })
  const terminal = code !== 'RATE_LIMITED' && code !== 'SERVICE_UNAVAILABLE'
  return transport === 'cookie' && terminal ? withClearedCookies(request, response) : response
}
