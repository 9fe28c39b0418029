import { signIn } from '@/lib/auth/sign-in'
import { failureResponse, readAuthRequest, sessionResponse } from '@/lib/http/auth-edge'
import { readJson } from '@/lib/http/body'
import { refuseCrossSiteForms } from '@/lib/http/csrf'
import { onlyAllow } from '@/lib/http/methods'
import { LoginBody } from '@/lib/http/api-schemas'
import { route } from '@/lib/http/problem'


export const POST = route(async (request) => {
  refuseCrossSiteForms(request)
  const body = await readJson(request, LoginBody)
  const auth = readAuthRequest(request, { transport: body.transport })
  const outcome = await signIn({ ...body, offeredDeviceId: auth.deviceId, client: auth.client }, Date.now())
  if (!outcome.ok) return failureResponse(auth, outcome)
  return sessionResponse(auth, { user: outcome.user, session: outcome.session }, outcome)
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
