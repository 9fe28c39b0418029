import { requireAuthForChange } from '@/lib/auth/current-user'
import { denySessions, markUserSessionsRevoked } from '@/lib/auth/sessions'
import { readClientInfo } from '@/lib/http/client-info'
import { jsonResponse, route } from '@/lib/http/problem'
import { getDb } from '@/lib/store/db'
import { onlyAllow } from '@/lib/http/methods'

export const POST = route(async (request) => {
  const { claims } = await requireAuthForChange(request)
  const db = await getDb()
  const revoked = await db.transaction((tx) => markUserSessionsRevoked(tx, claims.sub, 'others_signed_out', Date.now(), readClientInfo(request.headers), claims.sid))
  await denySessions(revoked)
  return jsonResponse({ revoked: revoked.length })
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
