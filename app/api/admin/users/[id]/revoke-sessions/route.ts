import { authenticate } from '@/lib/auth/access'
import { signOutEverywhere } from '@/lib/auth/admin'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { onlyAllow } from '@/lib/http/methods'
import { route } from '@/lib/http/problem'

type Context = { params: Promise<{ id: string }> }

export const POST = route<Context>(async (request, { params }) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now(), 'users:write')
  if (!caller.ok) return failureResponse(auth, caller)
  const outcome = await signOutEverywhere({ caller: caller.claims, userId: (await params).id, client: auth.client }, Date.now())
  return answer(auth, outcome, ({ revoked }) => ({ revoked }))
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
