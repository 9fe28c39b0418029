import { NextResponse, type NextRequest } from 'next/server'
import { authenticateAccessToken, type AccessFailure } from '@/lib/auth/access'
import { GATE_VERDICT_HEADER, gateVerdict } from '@/lib/auth/gate-verdict'
import { getKeySet } from '@/lib/auth/keys'
import { hasPermission, requiredPermission } from '@/lib/auth/rbac'
import { refreshSession } from '@/lib/auth/refresh'
import { deadSessionCookies, pairCookies, readAuthRequest, type AuthRequest } from '@/lib/http/auth-edge'
import { getConfig } from '@/lib/config'
import { isSecureContext } from '@/lib/http/cookies'
import { preflight, withCors } from '@/lib/http/cors'
import { NONCE_HEADER, STRICT_TRANSPORT_SECURITY, contentSecurityPolicy, newNonce } from '@/lib/http/security-headers'
import { ProblemError } from '@/lib/http/errors'
import { requestOrigin } from '@/lib/http/origin'
import { problemResponse } from '@/lib/http/problem'
import { isStoreUnavailable } from '@/lib/store/errors'
import { getLogger } from '@/lib/telemetry/log'

// The gate (SPEC §6), Next 16's proxy.ts on the Node runtime. For a valid access token it does
// no database I/O and one KV round trip (the denylist). It is optimistic: server code verifies
// again (CVE-2025-29927 showed a gate can be skipped).

const PUBLIC_PAGES = ['/', '/login', '/register', '/errors', '/forbidden', '/not-found', '/docs']
// APIs anyone may read, outside /api/auth/*: the same answer for everyone, no token looked at.
const PUBLIC_APIS = new Set(['/api/openapi.json'])

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

// Next's router runs decodeURIComponent on the path and answers a bare 500 text/plain when it
// throws: a `%` without two hex digits after it (`/api/auth/login%`, `/errors/%`) or escapes that
// are not UTF-8 (`%C0%AF`, the overlong `/` of CVE-2000-0884). Only paths with a `%` pay for the check.
function hasMalformedEscape(pathname: string): boolean {
  if (!pathname.includes('%')) return false
  try {
    decodeURIComponent(pathname)
    return false
  } catch {
    return true
  }
}

/**
 * Such a path names nothing. APIs answer 400 VALIDATION_FAILED rather than 404: the request itself
 * is malformed (RFC 3986 §2.1, RFC 9110 §15.5.1), so no name spelled this way can ever be found,
 * and being answered before the gate it reveals nothing about which API paths exist
 * (docs/decisions/009). Pages get the app's 404 page, as any address that leads nowhere does.
 */
function malformedPath(request: NextRequest, isApi: boolean, forward?: Headers): Response {
  if (isApi) {
    const errors = { path: ['A %-escape is not two hex digits, or the escapes do not spell UTF-8.'] }
    return problemResponse('VALIDATION_FAILED', { origin: requestOrigin(request), detail: 'The path has a malformed %-escape.', errors })
  }
  // /not-found calls notFound(), which renders app/not-found.tsx with status 404.
  return keptPrivate(NextResponse.rewrite(new URL('/not-found', request.url), forward ? { request: { headers: forward } } : undefined))
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl
  const isApi = pathname.startsWith('/api/')
  if (!isApi) return pageProxy(request, pathname)
  // A CORS preflight carries no credentials and asks only which requests may follow (SPEC §3).
  if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) return preflight(request)
  const response = await apiProxy(request, pathname)
  // The gate's own answers (refusals); what it lets through gets its CORS headers from the handler.
  return response.headers.get('x-middleware-next') === '1' ? response : withCors(request, response)
}

/**
 * Pages: the answer, with this request's Content-Security-Policy (lib/http/security-headers.ts).
 * Its nonce goes to the page's server components with the request headers (Next puts it on its
 * scripts), so every page is rendered for its request.
 */
async function pageProxy(request: NextRequest, pathname: string): Promise<Response> {
  const nonce = newNonce()
  const csp = contentSecurityPolicy(nonce, { development: getConfig().env === 'development' })
  const forward = new Headers(request.headers)
  forward.set(NONCE_HEADER, nonce)
  forward.set('content-security-policy', csp)
  const response = await pageAnswer(request, pathname, forward)
  response.headers.set('Content-Security-Policy', csp)
  if (isSecureContext(requestOrigin(request))) response.headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY)
  return response
}

async function pageAnswer(request: NextRequest, pathname: string, forward: Headers): Promise<Response> {
  if (hasMalformedEscape(pathname)) return malformedPath(request, false, forward)
  if (isPublic(pathname)) return NextResponse.next({ request: { headers: forward } })
  return guarded(request, pathname, false, forward)
}

async function apiProxy(request: NextRequest, pathname: string): Promise<Response> {
  if (hasMalformedEscape(pathname)) return malformedPath(request, true)
  // /api/auth/* authenticates itself; the matcher below lets in only its paths with a `%`, and preflights.
  if (pathname.startsWith('/api/auth/') || PUBLIC_APIS.has(pathname)) return NextResponse.next()
  return guarded(request, pathname, true)
}

async function guarded(request: NextRequest, pathname: string, isApi: boolean, forward?: Headers): Promise<Response> {
  try {
    return await gate(request, pathname, isApi, forward)
  } catch (error) {
    // A cross-site state-changing request in cookie mode (the edge CSRF-checks it before anything else).
    if (error instanceof ProblemError) return problemResponse(error.code, { origin: requestOrigin(request), detail: error.detail })
    if (!isStoreUnavailable(error)) throw error
    // Fail closed: without the denylist (or, refreshing a navigation, the database) nothing
    // protected passes unchecked.
    getLogger().warn({ event: 'storage_unavailable', gate: true, method: request.method, path: pathname, message: (error as Error).message })
    return problemResponse('SERVICE_UNAVAILABLE', { origin: requestOrigin(request), retryAfter: 5 })
  }
}

const REFRESHABLE: AccessFailure[] = ['UNAUTHENTICATED', 'ACCESS_TOKEN_EXPIRED', 'ACCESS_TOKEN_STALE']

async function gate(request: NextRequest, pathname: string, isApi: boolean, forward?: Headers): Promise<Response> {
  const now = Date.now()
  const auth = readAuthRequest(request)
  const cookieRefresh = auth.transport === 'cookie' ? auth.refreshToken : undefined
  const result = await authenticateAccessToken(auth.accessToken, now, cookieRefresh !== undefined)
  if (result.ok) {
    if (!isApi) return authorize(request, pathname, false, result.claims.permissions, forward)
    // The route handler authenticates again; this verdict spares it a second denylist read.
    const forwarded = new Headers(request.headers)
    forwarded.set(GATE_VERDICT_HEADER, gateVerdict(await getKeySet(), result.claims.jti, { method: request.method, path: pathname }, now))
    return authorize(request, pathname, true, result.claims.permissions, forwarded)
  }

  const navigation = !isApi && request.method === 'GET' && auth.transport === 'cookie'
  if (navigation && cookieRefresh && REFRESHABLE.includes(result.code)) return refreshDuringNavigation(request, pathname, auth, now, forward ?? new Headers(request.headers))
  if (isApi) return problemResponse(result.code, { origin: auth.origin })
  return toLogin(request, pathname)
}

/**
 * A page navigation with an expired or missing access token and a usable refresh token: refresh
 * once, with the same rules as POST /api/auth/refresh, and hand the new cookies both to the browser
 * and to this same request's server components. Parallel navigations share one successor through
 * the reuse grace (SPEC §4.4). A refresh token that cannot go on (revoked, expired, reused) is
 * cleared on the way to /login, as POST /api/auth/refresh clears it: later navigations then carry
 * no dead cookie to spend a rate-limit call and a locked transaction on.
 */
async function refreshDuringNavigation(request: NextRequest, pathname: string, auth: AuthRequest, now: number, forwarded: Headers): Promise<Response> {
  const outcome = await refreshSession({ refreshToken: auth.refreshToken, deviceId: auth.deviceId, client: auth.client }, now)
  if (!outcome.ok || !outcome.rotated) {
    const toSignIn = toLogin(request, pathname)
    if (!outcome.ok) for (const cookie of deadSessionCookies(auth, outcome)) toSignIn.cookies.set(cookie.name, cookie.value, cookie.options)
    return toSignIn
  }
  const permissions = outcome.tokens.access.permissions
  const issued = pairCookies(auth, { tokens: outcome.tokens, rememberMe: outcome.rememberMe, deviceId: auth.deviceId! }, now)
  // Server components read cookies(): rewrite this request's Cookie header to the new tokens.
  for (const cookie of issued) request.cookies.set(cookie.name, cookie.value)
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
  // Everything except static assets, the JWKS and /api/auth/* (it authenticates itself), whose
  // paths come in only when they hold a `%`, to be checked for a malformed escape. Its valid paths
  // stay out: the gate would add nothing, and Next buffers the body of every request it gates.
  // CORS preflights to /api/auth/* come in too, to be answered here (lib/http/cors.ts).
  matcher: [
    '/((?!_next/static|_next/image|favicon\\.ico|icon\\.svg|robots\\.txt|\\.well-known/|api/auth/[^%]*$).*)',
    { source: '/api/auth/:path*', has: [{ type: 'header', key: 'access-control-request-method' }] },
  ],
}
