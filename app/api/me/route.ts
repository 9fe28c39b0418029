import { authenticate } from '@/lib/auth/access'
import { readMe } from '@/lib/auth/users'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { onlyAllow } from '@/lib/http/methods'
import { route } from '@/lib/http/problem'

export const GET = route(async (request) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now(), 'profile:read')
  if (!caller.ok) return failureResponse(auth, caller)
  return answer(auth, await readMe({ caller: caller.claims }), ({ user, claims }) => ({ user, claims }))
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
