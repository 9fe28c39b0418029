import { authenticate } from '@/lib/auth/access'
import { readSession } from '@/lib/auth/sessions'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { onlyAllow } from '@/lib/http/methods'
import { route } from '@/lib/http/problem'

export const GET = route(async (request) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now())
  if (!caller.ok) return failureResponse(auth, caller)
  return answer(auth, await readSession({ caller: caller.claims }), ({ user, session }) => ({ user, session }))
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
