import { requestOrigin } from '@/lib/http/origin'
import 'server-only'
import { cookies, headers } from 'next/headers'
import { cache } from 'react'
import { assertSameOrigin } from '@/lib/http/csrf'
import { ProblemError } from '@/lib/http/errors'
import { parseCookieHeader } from '@/lib/http/cookie-header'
import { authenticateAccessToken, bearerToken } from './access'
import { isSecureContext, readAuthCookies } from './cookies'
import { hasPermission, type Permission } from './rbac'
import type { AccessClaims } from './tokens'
import { findUserById, userView, type UserView } from './users'

// The data-access layer's view of "who is this" (Next.js data-security guide): server code never
// trusts the gate alone (CVE-2025-29927), it verifies again.

export type RequestAuth = { claims: AccessClaims; transport: 'cookie' | 'bearer'; accessToken: string }

/** Route handlers: the verified access token of the request, or a thrown 401 problem. */
export async function requireAuth(request: Request, nowMs = Date.now()): Promise<RequestAuth> {
  const bearer = bearerToken(request.headers)
  const cookies = bearer ? undefined : readAuthCookies(parseCookieHeader(request.headers.get('cookie')), isSecureContext(requestOrigin(request)))
  const token = bearer ?? cookies?.access
  const result = await authenticateAccessToken(token, nowMs, Boolean(cookies?.refresh))
  if (!result.ok) throw new ProblemError(result.code)
  return { claims: result.claims, transport: bearer ? 'bearer' : 'cookie', accessToken: token! }
}

export async function requirePermission(request: Request, permission: Permission): Promise<RequestAuth> {
  const auth = await requireAuth(request)
  if (!hasPermission(auth.claims, permission)) throw new ProblemError('FORBIDDEN', `This needs the ${permission} permission.`)
  return auth
}

/** Server Components: the signed-in user and claims, or null. Once per request (React cache). */
export const getCurrentUser = cache(async (): Promise<{ user: UserView; claims: AccessClaims } | null> => {
  const [jar, head] = await Promise.all([cookies(), headers()])
  // The same origin rule as the gate and the route handlers: a client's X-Forwarded-Proto cannot
  // make this read another cookie name than the gate checked.
  const token = readAuthCookies(jar, isSecureContext(requestOrigin({ headers: head }))).access
  const result = await authenticateAccessToken(token, Date.now())
  if (!result.ok) return null
  const user = await findUserById(result.claims.sub)
  return user ? { user: userView(user), claims: result.claims } : null
})

/** A state-changing request: authenticated, and CSRF-checked when it rides on cookies (SPEC §3). */
export async function requireAuthForChange(request: Request, permission?: Permission): Promise<RequestAuth> {
  const auth = permission ? await requirePermission(request, permission) : await requireAuth(request)
  if (auth.transport === 'cookie') assertSameOrigin(request)
  return auth
}
