import { z } from 'zod'
import { authenticate } from '@/lib/auth/access'
import { listAudit } from '@/lib/auth/admin'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { idSchema } from '@/lib/http/fields'
import { onlyAllow } from '@/lib/http/methods'
import { route } from '@/lib/http/problem'
import { readQuery } from '@/lib/http/query'
import { AUDIT_EVENTS } from '@/lib/shared/audit-events'

const Query = z.object({
  userId: idSchema.optional(),
  event: z.enum(AUDIT_EVENTS).optional(),
  from: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
  to: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{1,18}$/, 'Use the nextCursor of the previous page').transform(Number).optional(),
})

export const GET = route(async (request) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now(), 'audit:read')
  if (!caller.ok) return failureResponse(auth, caller)
  const outcome = await listAudit({ caller: caller.claims, ...readQuery(request, Query) })
  return answer(auth, outcome, ({ items, nextCursor }) => ({ items, nextCursor }))
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
