import { z } from 'zod'
import { changeUserRole } from '@/lib/auth/admin'
import { requireAuthForChange } from '@/lib/auth/current-user'
import { ROLES } from '@/lib/auth/rbac'
import { readJson } from '@/lib/http/body'
import { readClientInfo } from '@/lib/http/client-info'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

const RoleBody = z.object({ role: z.enum(ROLES) })
type Context = { params: Promise<{ id: string }> }

export const PATCH = route<Context>(async (request, { params }) => {
  const { claims } = await requireAuthForChange(request, 'users:write')
  const { role } = await readJson(request, RoleBody)
  const user = await changeUserRole({ userId: claims.sub, client: readClientInfo(request.headers) }, (await params).id, role, Date.now())
  return jsonResponse({ user })
})

const notAllowed = onlyAllow('PATCH')
export { notAllowed as GET, notAllowed as POST, notAllowed as PUT, notAllowed as DELETE }
