import { requireAuth } from '@/lib/auth/current-user'
import { listUserSessions } from '@/lib/auth/sessions'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

export const GET = route(async (request) => {
  const { claims } = await requireAuth(request)
  return jsonResponse({ sessions: await listUserSessions(claims.sub, claims.sid, Date.now()) })
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
