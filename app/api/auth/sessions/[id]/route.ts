import { authenticate } from '@/lib/auth/access'
import { revokeSession } from '@/lib/auth/sessions'
import { answer, credential, failureResponse, readAuthRequest } from '@/lib/http/auth-edge'
import { onlyAllow } from '@/lib/http/methods'
import { route } from '@/lib/http/problem'

type Context = { params: Promise<{ id: string }> }

/** Revokes one of the caller's own sessions. Anyone else's is "not found", never "forbidden". */
export const DELETE = route<Context>(async (request, { params }) => {
  const auth = readAuthRequest(request)
  const caller = await authenticate(credential(auth), Date.now())
  if (!caller.ok) return failureResponse(auth, caller)
  const outcome = await revokeSession({ caller: caller.claims, sessionId: (await params).id, client: auth.client }, Date.now())
  return answer(auth, outcome, ({ revoked, current }) => ({ revoked, current }))
})

const notAllowed = onlyAllow('DELETE')
export { notAllowed as GET, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH }
