import { authenticate } from '@/lib/auth/access'
import { revokeOtherSessions } from '@/lib/auth/sessions'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { onlyAllow } from '@/lib/http/methods'
import { route } from '@/lib/http/problem'

export const POST = route(async (request) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now())
  if (!caller.ok) return failureResponse(auth, caller)
  return answer(auth, await revokeOtherSessions({ caller: caller.claims, client: auth.client }, Date.now()), ({ revoked }) => ({ revoked }))
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
