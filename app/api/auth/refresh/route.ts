import { refreshSession } from '@/lib/auth/refresh'
import { failureResponse, readAuthRequest, sessionResponse } from '@/lib/http/auth-edge'
import { readJson } from '@/lib/http/body'
import { refuseCrossSiteForms } from '@/lib/http/csrf'
import { onlyAllow } from '@/lib/http/methods'
import { RefreshBody } from '@/lib/http/api-schemas'
import { jsonResponse, route } from '@/lib/http/problem'


// SPEC §4; the rules themselves live in lib/auth/refresh.ts. Step 1, CSRF, comes before the body.
export const POST = route(async (request) => {
  refuseCrossSiteForms(request)
  const auth = readAuthRequest(request, await readJson(request, RefreshBody, { optional: true }))
  const outcome = await refreshSession({ refreshToken: auth.refreshToken, accessToken: auth.accessToken, deviceId: auth.deviceId, client: auth.client }, Date.now())
  if (!outcome.ok) return failureResponse(auth, outcome, { endsSession: true })
  if (!outcome.rotated) return jsonResponse({ rotated: false, session: outcome.session })
  return sessionResponse(auth, { rotated: true, session: outcome.session }, { tokens: outcome.tokens, rememberMe: outcome.rememberMe, deviceId: auth.deviceId! })
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
