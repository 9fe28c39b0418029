import { requireAuth } from '@/lib/auth/current-user'
import { sessionView } from '@/lib/auth/issue'
import { currentRefreshExpiry } from '@/lib/auth/sessions'
import { findUserById, userView } from '@/lib/auth/users'
import { ProblemError } from '@/lib/http/errors'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

export const GET = route(async (request) => {
  const { claims } = await requireAuth(request)
  const [user, current] = await Promise.all([findUserById(claims.sub), currentRefreshExpiry(claims.sid)])
  if (!user || !current || current.session.revokedAt) throw new ProblemError('ACCESS_TOKEN_REVOKED')
  return jsonResponse({ user: userView(user), session: sessionView(current.session, claims.exp, current.refreshExp) })
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
