import { requireAuth } from '@/lib/auth/current-user'
import { getSessionTimeline } from '@/lib/auth/session-timeline'
import { ProblemError } from '@/lib/http/errors'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

// SPEC §9 token timeline: the caller's current session (the access token's `sid`), never another.
export const GET = route(async (request) => {
  const { claims } = await requireAuth(request)
  const events = await getSessionTimeline(claims.sub, claims.sid)
  if (!events) throw new ProblemError('ACCESS_TOKEN_REVOKED')
  return jsonResponse({ events })
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
