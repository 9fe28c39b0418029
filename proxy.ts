import { requestOrigin } from '@/lib/http/origin'
import { NextResponse, type NextRequest } from 'next/server'
import { authenticateAccessToken, bearerToken, type AccessFailure } from '@/lib/auth/access'
import { isSecureContext, readAuthCookies } from '@/lib/auth/cookies'
import { hasPermission, requiredPermission } from '@/lib/auth/rbac'
import { refreshSession } from '@/lib/auth/refresh'
import { issuedCookies } from '@/lib/auth/respond'
import { readClientInfo } from '@/lib/http/client-info'
import { problemResponse } from '@/lib/http/problem'
import { KvUnavailableError } from '@/lib/store/kv'

// The gate (SPEC §6), Next 16's proxy.ts on the Node runtime. For a valid access token it does
// no database I/O and one KV round trip (the denylist). It is optimistic: server code verifies
// again (CVE-2025-29927 showed a gate can be skipped).

const PUBLIC_PAGES = ['/', '/login', '/register', '/errors', '/forbidden']

// SPEC §3: what the gate rewrites, redirects or sets cookies on is one person's answer. No shared
// cache may keep it (RFC 9111 §5.2.2.5 no-store, §5.2.2.7 private): Next would otherwise send a
// prerendered page's `s-maxage=31536000` along with the Set-Cookie of fresh tokens.
const PRIVATE = 'private, no-store'

function keptPrivate<R extends Response>(response: R): R {
  response.headers.set('Cache-Control', PRIVATE)
  return response
}

function isPublic(pathname: string): boolean {
  return PUBLIC_PAGES.some((page) => pathname === page || (page !== '/' && pathname.startsWith(page + '/')))
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl
  if (isPublic(pathname)) return NextResponse.next()
  const isApi = pathname.startsWith('/api/')
  try {
    return await gate(request, pathname, isApi)
  } catch (error) {
    if (!(KvUnavailableError.is(error))) throw error
    // Fail closed: without the denylist nothing protected passes unchecked.
    console.warn(`[gate ${pathname}] ${error.message}`)
    return problemResponse('SERVICE_UNAVAILABLE', { origin: requestOrigin(request), retryAfter: 5 })
  }
}

async function gate(request: NextRequest, pathname: string, isApi: boolean): Promise<Response> {
  const now = Date.now()
  const secure = isSecureContext(requestOrigin(request))
  const bearer = bearerToken(request.headers)
  const cookies = readAuthCookies(request.cookies, secure)
  const result = await authenticateAccessToken(bearer ?? cookies.access, now, !bearer && Boolean(cookies.refresh))
  if (result.ok) return authorize(request, pathname, isApi, result.claims.permissions)

  const navigation = !isApi && request.method === 'GET' && !bearer
  const refreshable: AccessFailure[] = ['UNAUTHENTICATED', 'ACCESS_TOKEN_EXPIRED', 'ACCESS_TOKEN_STALE']
  if (navigation && cookies.refresh && refreshable.includes(result.code)) {
    const refreshed = await refreshDuringNavigation(request, pathname, secure, cookies, now)
    if (refreshed) return refreshed
  }
  if (isApi) return problemResponse(result.code, { origin: requestOrigin(request) })
  return toLogin(request, pathname)
}

/**
 * A page navigation with an expired or missing access token and a usable refresh token: refresh
 * once, with the same rules as POST /api/auth/refresh, and hand the new cookies both to the browser
 * and to this same request's server components. Parallel navigations share one successor through
 * the reuse grace (SPEC §4.4).
 */
async function refreshDuringNavigation(
  request: NextRequest,
  pathname: string,
  secure: boolean,
  cookies: ReturnType<typeof readAuthCookies>,
  now: number,
): Promise<Response | null> {
  const outcome = await refreshSession({ refreshToken: cookies.refresh, deviceId: cookies.device, client: readClientInfo(request.headers) }, now)
  if (!outcome.ok || !outcome.rotated) return null
  const permissions = outcome.tokens.access.permissions
  const issued = issuedCookies(secure, outcome.tokens, outcome.rememberMe, cookies.device!, now)
  // Server components read cookies(): rewrite this request's Cookie header to the new tokens.
  for (const cookie of issued) request.cookies.set(cookie.name, cookie.value)
  const forwarded = new Headers(request.headers)
  forwarded.set('cookie', request.cookies.toString())
  const response = authorize(request, pathname, false, permissions, forwarded)
  for (const cookie of issued) response.cookies.set(cookie.name, cookie.value, cookie.options)
  return keptPrivate(response)
}

function authorize(request: NextRequest, pathname: string, isApi: boolean, permissions: string[], headers?: Headers): NextResponse {
  const needed = requiredPermission(pathname)
  if (needed && !hasPermission({ permissions }, needed)) {
    if (isApi) return problemResponse('FORBIDDEN', { origin: requestOrigin(request), detail: `This needs the ${needed} permission.` }) as NextResponse
    // /forbidden calls forbidden(), which renders app/forbidden.tsx with status 403.
    return keptPrivate(NextResponse.rewrite(new URL('/forbidden', request.url), headers ? { request: { headers } } : undefined))
  }
  return NextResponse.next(headers ? { request: { headers } } : undefined)
}

function toLogin(request: NextRequest, pathname: string): NextResponse {
  const url = new URL('/login', request.url)
  url.searchParams.set('next', pathname + request.nextUrl.search)
  return keptPrivate(NextResponse.redirect(url))
}

export const config = {
  // Everything except static assets, /api/auth/* (it authenticates itself) and the JWKS.
  matcher: ['/((?!_next/static|_next/image|favicon\\.ico|robots\\.txt|\\.well-known/|api/auth/).*)'],
}
