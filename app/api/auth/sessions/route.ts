import { requireAuth } from '@/lib/auth/current-user'
import { listUserSessions } from '@/lib/auth/sessions'
import { jsonResponse, route } from '@/lib/http/problem'

export const GET = route(async (request) => {
  const { claims } = await requireAuth(request)
  return jsonResponse({ sessions: await listUserSessions(claims.sub, claims.sid, Date.now()) })
})
