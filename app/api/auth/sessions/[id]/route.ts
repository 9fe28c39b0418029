import { requireAuthForChange } from '@/lib/auth/current-user'
import { findSession, revokeSession } from '@/lib/auth/sessions'
import { readClientInfo } from '@/lib/http/client-info'
import { ProblemError } from '@/lib/http/errors'
import { isId } from '@/lib/ids'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

type Context = { params: Promise<{ id: string }> }

/** Revokes one of the caller's own sessions. Anyone else's is "not found", never "forbidden". */
export const DELETE = route<Context>(async (request, { params }) => {
  const { claims } = await requireAuthForChange(request)
  const { id } = await params
  const session = isId(id) ? await findSession(id) : null
  if (!session || session.userId !== claims.sub || session.revokedAt) throw new ProblemError('NOT_FOUND', 'No such session.')
  await revokeSession(session, 'user', Date.now(), readClientInfo(request.headers))
  return jsonResponse({ revoked: true, current: session.id === claims.sid })
})

const notAllowed = onlyAllow('DELETE')
export { notAllowed as GET, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH }
