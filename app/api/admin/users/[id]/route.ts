import { authenticate } from '@/lib/auth/access'
import { changeRole } from '@/lib/auth/admin'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { readJson } from '@/lib/http/body'
import { onlyAllow } from '@/lib/http/methods'
import { RoleBody } from '@/lib/http/api-schemas'
import { route } from '@/lib/http/problem'

type Context = { params: Promise<{ id: string }> }

export const PATCH = route<Context>(async (request, { params }) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now(), 'users:write')
  if (!caller.ok) return failureResponse(auth, caller)
  const { role } = await readJson(request, RoleBody)
  const outcome = await changeRole({ caller: caller.claims, userId: (await params).id, role, client: auth.client }, Date.now())
  return answer(auth, outcome, ({ user }) => ({ user }))
})

const notAllowed = onlyAllow('PATCH')
export { notAllowed as GET, notAllowed as POST, notAllowed as PUT, notAllowed as DELETE }
