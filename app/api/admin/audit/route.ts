import { z } from 'zod'
import { listAudit } from '@/lib/auth/admin'
import { AUDIT_EVENTS } from '@/lib/audit'
import { requirePermission } from '@/lib/auth/current-user'
import { idSchema } from '@/lib/http/fields'
import { jsonResponse, route } from '@/lib/http/problem'
import { readQuery } from '@/lib/http/query'
import { onlyAllow } from '@/lib/http/methods'

const Query = z.object({
  userId: idSchema.optional(),
  event: z.enum(AUDIT_EVENTS).optional(),
  from: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
  to: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{1,18}$/, 'Use the nextCursor of the previous page').transform(Number).optional(),
})

export const GET = route(async (request) => {
  await requirePermission(request, 'audit:read')
  return jsonResponse(await listAudit(readQuery(request, Query)))
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
