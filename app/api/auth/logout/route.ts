import { requestOrigin } from '@/lib/http/origin'
import { z } from 'zod'
import { bearerToken } from '@/lib/auth/access'
import { isSecureContext, readAuthCookies } from '@/lib/auth/cookies'
import { logout } from '@/lib/auth/logout'
import { withClearedCookies } from '@/lib/auth/respond'
import { readJson } from '@/lib/http/body'
import { readClientInfo } from '@/lib/http/client-info'
import { parseCookieHeader } from '@/lib/http/cookie-header'
import { assertSameOrigin, refuseCrossSiteForms } from '@/lib/http/csrf'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

const LogoutBody = z.object({ refreshToken: z.string().min(1).max(4096).optional() })

/** Idempotent: whatever is left of the session ends, the cookies go, and the answer is 200. */
export const POST = route(async (request) => {
  refuseCrossSiteForms(request)
  const body = await readJson(request, LogoutBody, { optional: true })
  const bearer = bearerToken(request.headers)
  // Bearer mode (a token in the header or the body) reads no cookie at all, so it cannot act on the
  // cookies a cross-site request carries along; cookie mode is CSRF-checked (SPEC §3).
  const bearerMode = bearer !== undefined || body.refreshToken !== undefined
  const tokens = bearerMode ? { access: bearer, refresh: body.refreshToken } : cookieTokens(request)
  await logout({ accessToken: tokens.access, refreshToken: tokens.refresh, client: readClientInfo(request.headers) }, Date.now())
  const response = jsonResponse({ loggedOut: true })
  // Bearer mode sets no cookies (SPEC §3), not even to clear them.
  return bearerMode ? response : withClearedCookies(request, response)
})

function cookieTokens(request: Request) {
  assertSameOrigin(request)
  return readAuthCookies(parseCookieHeader(request.headers.get('cookie')), isSecureContext(requestOrigin(request)))
}

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
