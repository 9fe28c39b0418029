import { z } from 'zod'
import { listUsers } from '@/lib/auth/admin'
import { requirePermission } from '@/lib/auth/current-user'
import { idSchema } from '@/lib/http/fields'
import { jsonResponse, route } from '@/lib/http/problem'
import { readQuery } from '@/lib/http/query'
import { onlyAllow } from '@/lib/http/methods'

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: idSchema.optional(),
})

export const GET = route(async (request) => {
  await requirePermission(request, 'users:read')
  return jsonResponse(await listUsers(readQuery(request, Query)))
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
