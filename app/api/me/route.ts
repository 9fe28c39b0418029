import { requirePermission } from '@/lib/auth/current-user'
import { findUserById, userView } from '@/lib/auth/users'
import { ProblemError } from '@/lib/http/errors'
import { jsonResponse, route } from '@/lib/http/problem'

export const GET = route(async (request) => {
  const { claims } = await requirePermission(request, 'profile:read')
  const user = await findUserById(claims.sub)
  if (!user) throw new ProblemError('ACCESS_TOKEN_REVOKED')
  return jsonResponse({ user: userView(user), claims })
})
