import { authenticate } from '@/lib/auth/access'
import { readActivity } from '@/lib/auth/activity'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { onlyAllow } from '@/lib/http/methods'
import { ActivityQuery } from '@/lib/http/api-schemas'
import { route } from '@/lib/http/problem'
import { readQuery } from '@/lib/http/query'


export const GET = route(async (request) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now(), 'audit:read')
  if (!caller.ok) return failureResponse(auth, caller)
  return answer(auth, await readActivity(readQuery(request, ActivityQuery), Date.now()), ({ activity }) => activity)
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
