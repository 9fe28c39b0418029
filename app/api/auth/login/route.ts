import { requestOrigin } from '@/lib/http/origin'
import { z } from 'zod'
import { recordAudit } from '@/lib/audit'
import { isSecureContext, readAuthCookies } from '@/lib/auth/cookies'
import { acceptDeviceId } from '@/lib/auth/device-id'
import { sessionView } from '@/lib/auth/issue'
import { getKeySet } from '@/lib/auth/keys'
import { verifyAgainstDummy, verifyPassword } from '@/lib/auth/passwords'
import { tokensResponse } from '@/lib/auth/respond'
import { startSession } from '@/lib/auth/sessions'
import { takeSignInSlot } from '@/lib/auth/sign-in-slots'
import { enforceLimit, guardPasswordAttempt, rejectRateLimited } from '@/lib/auth/limits'
import { findUserByEmail, userView } from '@/lib/auth/users'
import { readJson } from '@/lib/http/body'
import { readClientInfo } from '@/lib/http/client-info'
import { parseCookieHeader } from '@/lib/http/cookie-header'
import { assertSameOrigin, refuseCrossSiteForms } from '@/lib/http/csrf'
import { ProblemError } from '@/lib/http/errors'
import { route } from '@/lib/http/problem'
import { getDb } from '@/lib/store/db'
import { onlyAllow } from '@/lib/http/methods'

const LoginBody = z.object({
  email: z.string().trim().min(1, 'Enter your email').max(254).pipe(z.email('Enter a valid email address')),
  password: z.string().min(1, 'Enter your password').max(256),
  rememberMe: z.boolean().optional().default(false),
  transport: z.enum(['cookie', 'bearer']).optional().default('cookie'),
})

export const POST = route(async (request) => {
  refuseCrossSiteForms(request)
  const body = await readJson(request, LoginBody)
  if (body.transport === 'cookie') assertSameOrigin(request)
  const now = Date.now()
  const client = readClientInfo(request.headers)
  // SPEC §7: attempts per IP, and failures per email+IP (checked before the password is).
  await enforceLimit('login_ip', client.network, client)
  const slot = takeSignInSlot(client.network)
  if (!slot) return rejectRateLimited('login_concurrency', { retryAfterSeconds: 1 }, client)
  try {
    const attempt = await guardPasswordAttempt(body.email, client)
    const user = await findUserByEmail(body.email)
    // Same work whether or not the email exists: no account enumeration by timing.
    const valid = user ? await verifyPassword(body.password, user.passwordHash) : await verifyAgainstDummy(body.password)
    if (!user || !valid) {
      await recordAudit(await getDb(), { event: 'login_failed', at: new Date(now), userId: user?.id, ip: client.ip, userAgent: client.userAgent, detail: { reason: user ? 'wrong_password' : 'unknown_email' } })
      throw new ProblemError('INVALID_CREDENTIALS', 'The email or password is wrong.')
    }
    await attempt.succeeded()
    const secure = isSecureContext(requestOrigin(request))
    const offered = body.transport === 'bearer' ? request.headers.get('x-device-id') : readAuthCookies(parseCookieHeader(request.headers.get('cookie')), secure).device
    const deviceId = acceptDeviceId(offered, await getKeySet())
    const { session, tokens } = await startSession({ user, rememberMe: body.rememberMe, deviceId, client, transport: body.transport }, now)
    return tokensResponse(
      request,
      { user: userView(user), session: sessionView(session, tokens.access.exp, tokens.refresh.exp) },
      { transport: body.transport, tokens, rememberMe: body.rememberMe, deviceId, nowMs: now },
    )
  } finally {
    slot.release()
  }
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
