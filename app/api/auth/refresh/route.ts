import { requestOrigin } from '@/lib/http/origin'
import { z } from 'zod'
import { bearerToken } from '@/lib/auth/access'
import { isSecureContext, readAuthCookies } from '@/lib/auth/cookies'
import { refreshSession } from '@/lib/auth/refresh'
import { authFailure, tokensResponse } from '@/lib/auth/respond'
import { readJson } from '@/lib/http/body'
import { readClientInfo } from '@/lib/http/client-info'
import { parseCookieHeader } from '@/lib/http/cookie-header'
import { assertSameOrigin, refuseCrossSiteForms } from '@/lib/http/csrf'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

const RefreshBody = z.object({ refreshToken: z.string().min(1).max(4096).optional() })

// SPEC §4; the rules themselves live in lib/auth/refresh.ts. Step 1, CSRF, comes before the body.
export const POST = route(async (request) => {
  refuseCrossSiteForms(request)
  const body = await readJson(request, RefreshBody, { optional: true })
  const transport = body.refreshToken === undefined ? 'cookie' : 'bearer'
  const now = Date.now()
  const client = readClientInfo(request.headers)
  const input =
    transport === 'bearer'
      ? { refreshToken: body.refreshToken, accessToken: bearerToken(request.headers), deviceId: request.headers.get('x-device-id') ?? undefined, client }
      : cookieInput(request, client)
  const outcome = await refreshSession(input, now)
  if (!outcome.ok) return authFailure(request, transport, outcome.code, outcome.retryAfter)
  if (!outcome.rotated) return jsonResponse({ rotated: false, session: outcome.session })
  return tokensResponse(request, { rotated: true, session: outcome.session }, { transport, tokens: outcome.tokens, rememberMe: outcome.rememberMe, deviceId: input.deviceId!, nowMs: now })
})

function cookieInput(request: Request, client: ReturnType<typeof readClientInfo>) {
  assertSameOrigin(request)
  const cookies = readAuthCookies(parseCookieHeader(request.headers.get('cookie')), isSecureContext(requestOrigin(request)))
  return { refreshToken: cookies.refresh, accessToken: cookies.access, deviceId: cookies.device, client }
}

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
