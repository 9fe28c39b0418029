import { authenticate } from '@/lib/auth/access'
import { listUsers } from '@/lib/auth/admin'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { onlyAllow } from '@/lib/http/methods'
import { UsersQuery } from '@/lib/http/api-schemas'
import { route } from '@/lib/http/problem'
import { readQuery } from '@/lib/http/query'


export const GET = route(async (request) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now(), 'users:read')
  if (!caller.ok) return failureResponse(auth, caller)
  const outcome = await listUsers({ caller: caller.claims, ...readQuery(request, UsersQuery) })
  return answer(auth, outcome, ({ users, nextCursor }) => ({ users, nextCursor }))
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
