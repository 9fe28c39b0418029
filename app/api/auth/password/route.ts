import { authenticate } from '@/lib/auth/access'
import { changePassword } from '@/lib/auth/password-change'
import { credential, failureResponse, readAuthRequest, sessionResponse } from '@/lib/http/auth-edge'
import { readJson } from '@/lib/http/body'
import { onlyAllow } from '@/lib/http/methods'
import { PasswordBody } from '@/lib/http/api-schemas'
import { route } from '@/lib/http/problem'


export const POST = route(async (request) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now())
  if (!caller.ok) return failureResponse(auth, caller)
  const body = await readJson(request, PasswordBody)
  const outcome = await changePassword({ caller: caller.claims, ...body, client: auth.client }, Date.now())
  if (!outcome.ok) return failureResponse(auth, outcome)
  return sessionResponse(auth, { user: outcome.user, session: outcome.session }, outcome)
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
