import { register } from '@/lib/auth/register'
import { answer, readAuthRequest } from '@/lib/http/auth-edge'
import { readJson } from '@/lib/http/body'
import { onlyAllow } from '@/lib/http/methods'
import { RegisterBody } from '@/lib/http/api-schemas'
import { route } from '@/lib/http/problem'


export const POST = route(async (request) => {
  // Registration has no bearer mode: always CSRF-checked, before the body is read.
  const auth = readAuthRequest(request, { transport: 'cookie' })
  const body = await readJson(request, RegisterBody)
  return answer(auth, await register({ ...body, client: auth.client }, Date.now()), ({ user }) => ({ user }), 201)
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
