import { requireAuthForChange } from '@/lib/auth/current-user'
import { revokeOtherSessions } from '@/lib/auth/sessions'
import { readClientInfo } from '@/lib/http/client-info'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

export const POST = route(async (request) => {
  const { claims } = await requireAuthForChange(request)
  const revoked = await revokeOtherSessions(claims.sub, claims.sid, Date.now(), readClientInfo(request.headers))
  return jsonResponse({ revoked })
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
