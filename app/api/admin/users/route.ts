import { z } from 'zod'
import { authenticate } from '@/lib/auth/access'
import { listUsers } from '@/lib/auth/admin'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { idSchema } from '@/lib/http/fields'
import { onlyAllow } from '@/lib/http/methods'
import { route } from '@/lib/http/problem'
import { readQuery } from '@/lib/http/query'

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: idSchema.optional(),
})

export const GET = route(async (request) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now(), 'users:read')
  if (!caller.ok) return failureResponse(auth, caller)
  const outcome = await listUsers({ caller: caller.claims, ...readQuery(request, Query) })
  return answer(auth, outcome, ({ users, nextCursor }) => ({ users, nextCursor }))
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
