import { requirePermission } from '@/lib/auth/current-user'
import { findUserById, userView } from '@/lib/auth/users'
import { ProblemError } from '@/lib/http/errors'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

export const GET = route(async (request) => {
  const { claims } = await requirePermission(request, 'profile:read')
  const user = await findUserById(claims.sub)
  if (!user) throw new ProblemError('ACCESS_TOKEN_REVOKED')
  return jsonResponse({ user: userView(user), claims })
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
