import { authenticate } from '@/lib/auth/access'
import { listSessions } from '@/lib/auth/sessions'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { onlyAllow } from '@/lib/http/methods'
import { route } from '@/lib/http/problem'

export const GET = route(async (request) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now())
  if (!caller.ok) return failureResponse(auth, caller)
  return answer(auth, await listSessions({ caller: caller.claims }, Date.now()), ({ sessions }) => ({ sessions }))
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
