import { z } from 'zod'
import { requireAuthForChange } from '@/lib/auth/current-user'
import { sessionView } from '@/lib/auth/issue'
import { guardPasswordAttempt } from '@/lib/auth/limits'
import { changePassword } from '@/lib/auth/password-change'
import { verifyPassword } from '@/lib/auth/passwords'
import { tokensResponse } from '@/lib/auth/respond'
import { findSession } from '@/lib/auth/sessions'
import { findUserById, userView } from '@/lib/auth/users'
import { readJson } from '@/lib/http/body'
import { readClientInfo } from '@/lib/http/client-info'
import { ProblemError } from '@/lib/http/errors'
import { route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

const PasswordBody = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(256),
  newPassword: z.string().min(10, 'Use at least 10 characters').max(256, 'Use at most 256 characters'),
})

export const POST = route(async (request) => {
  const { claims, transport } = await requireAuthForChange(request)
  const body = await readJson(request, PasswordBody)
  const client = readClientInfo(request.headers)
  const [user, session] = await Promise.all([findUserById(claims.sub), findSession(claims.sid)])
  if (!user || !session || session.revokedAt) throw new ProblemError('ACCESS_TOKEN_REVOKED')
  // Guessing the current password is guessing a password: same budget as sign-in failures.
  const attempt = await guardPasswordAttempt(user.email, client, user.id)
  if (!(await verifyPassword(body.currentPassword, user.passwordHash))) {
    // 400, not 401: a wrong current password must not look like a dead session to the client.
    throw new ProblemError('VALIDATION_FAILED', 'The current password is wrong.', { errors: { currentPassword: ['The current password is wrong'] } })
  }
  await attempt.succeeded()
  const now = Date.now()
  const result = await changePassword({ user, session, newPassword: body.newPassword, client }, now)
  return tokensResponse(
    request,
    { user: userView(user), session: sessionView(result.session, result.tokens.access.exp, result.tokens.refresh.exp) },
    { transport, tokens: result.tokens, rememberMe: result.session.rememberMe, deviceId: result.session.deviceId, nowMs: now },
  )
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
