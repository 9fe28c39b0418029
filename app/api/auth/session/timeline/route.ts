import { authenticate } from '@/lib/auth/access'
import { readSessionTimeline } from '@/lib/auth/session-timeline'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { onlyAllow } from '@/lib/http/methods'
import { route } from '@/lib/http/problem'

// SPEC §9 token timeline: the caller's current session (the access token's `sid`), never another.
export const GET = route(async (request) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now())
  if (!caller.ok) return failureResponse(auth, caller)
  return answer(auth, await readSessionTimeline({ caller: caller.claims }), ({ events }) => ({ events }))
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
