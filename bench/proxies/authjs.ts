import { NextResponse, type NextRequest } from 'next/server'
import { decode } from '@auth/core/jwt'

// Bench variant "Auth.js v5 session decode": what Auth.js's JWT strategy does on each request in
// middleware, `decode` of @auth/core/jwt (HKDF of AUTH_SECRET with the cookie name as salt, then
// JWE dir + A256CBC-HS512, exp checked). The bench sends every variant the same Cookie header,
// which carries such a session cookie (minted with `encode`) beside the app's own access cookie.

const COOKIE = 'authjs.session-token'
const PUBLIC_PAGES = ['/', '/login', '/register', '/errors', '/forbidden', '/not-found']
const secret = process.env.AUTH_SECRET ?? ''

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl
  if (PUBLIC_PAGES.includes(pathname) || pathname.startsWith('/api/auth/')) return NextResponse.next()
  const token = request.cookies.get(COOKIE)?.value
  const session = token ? await decode({ token, secret, salt: COOKIE }).catch(() => null) : null
  if (session?.sub) return NextResponse.next()
  if (pathname.startsWith('/api/')) return NextResponse.json({ code: 'UNAUTHENTICATED' }, { status: 401 })
  return NextResponse.redirect(new URL('/login', request.url))
}

export const config = {
  matcher: [
    '/((?!_next/static|_next/image|favicon\\.ico|icon\\.svg|robots\\.txt|\\.well-known/|api/auth/[^%]*$).*)',
    { source: '/api/auth/:path*', has: [{ type: 'header', key: 'access-control-request-method' }] },
  ],
}
