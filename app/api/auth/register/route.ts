import { z } from 'zod'
import { enforceLimit } from '@/lib/auth/limits'
import { registerUser, userView } from '@/lib/auth/users'
import { readJson } from '@/lib/http/body'
import { readClientInfo } from '@/lib/http/client-info'
import { assertSameOrigin } from '@/lib/http/csrf'
import { ProblemError } from '@/lib/http/errors'
import { printable } from '@/lib/http/fields'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

const RegisterBody = z.object({
  email: z.email('Enter a valid email address').max(254),
  password: z.string().min(10, 'Use at least 10 characters').max(256, 'Use at most 256 characters'),
  name: printable.trim().max(100).optional().nullable(),
})

export const POST = route(async (request) => {
  assertSameOrigin(request)
  const client = readClientInfo(request.headers)
  await enforceLimit('register_ip', client.network, client)
  const body = await readJson(request, RegisterBody)
  const user = await registerUser({ ...body, ip: client.ip, userAgent: client.userAgent }, Date.now())
  if (!user) throw new ProblemError('EMAIL_TAKEN', 'An account with this email already exists.')
  return jsonResponse({ user: userView(user) }, { status: 201 })
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
