import { signOut } from '@/lib/auth/sign-out'
import { clearCookies, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { readJson } from '@/lib/http/body'
import { refuseCrossSiteForms } from '@/lib/http/csrf'
import { onlyAllow } from '@/lib/http/methods'
import { LogoutBody } from '@/lib/http/api-schemas'
import { jsonResponse, route } from '@/lib/http/problem'


/** Idempotent: whatever is left of the session ends, the cookies go, and the answer is 200. */
export const POST = route(async (request) => {
  refuseCrossSiteForms(request)
  // A token in the header or the body is bearer mode, which reads no cookie at all (lib/http/auth-edge.ts).
  const auth = readAuthRequest(request, await readJson(request, LogoutBody, { optional: true }))
  const outcome = await signOut({ accessToken: auth.accessToken, refreshToken: auth.refreshToken, client: auth.client }, Date.now())
  if (!outcome.ok) return failureResponse(auth, outcome)
  return clearCookies(auth, jsonResponse({ loggedOut: true }))
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
