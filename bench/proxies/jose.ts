import { NextResponse, type NextRequest } from 'next/server'
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose'

// Bench variant "hand-written jose gate": what most apps write first. jwtVerify on every request
// (ES256 pinned, iss, aud, typ, 10 s of clock tolerance), no denylist, no cache, no RBAC, no
// refresh. Reads the same AUTH_SIGNING_KEYS the app does and the same cookie or bearer token.

const PUBLIC_PAGES = ['/', '/login', '/register', '/errors', '/forbidden', '/not-found']
const publicJwks = (JSON.parse(process.env.AUTH_SIGNING_KEYS ?? '[]') as JWK[]).map(({ d: _d, ...publicKey }) => publicKey)
const keys = createLocalJWKSet({ keys: publicJwks })
const issuer = process.env.AUTH_ISSUER ?? 'nj-jwt'
const audience = process.env.AUTH_AUDIENCE ?? 'nj-jwt'

function tokenOf(request: NextRequest): string | undefined {
  const bearer = request.headers.get('authorization')
  if (bearer?.startsWith('Bearer ')) return bearer.slice(7)
  return request.cookies.get('njjwt-at')?.value
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl
  if (PUBLIC_PAGES.includes(pathname) || pathname.startsWith('/api/auth/')) return NextResponse.next()
  const token = tokenOf(request)
  try {
    if (!token) throw new Error('no token')
    const { payload } = await jwtVerify(token, keys, { algorithms: ['ES256'], issuer, audience, typ: 'at+jwt', clockTolerance: 10 })
    if (payload.type !== 'access') throw new Error('not an access token')
    return NextResponse.next()
  } catch {
    if (pathname.startsWith('/api/')) return NextResponse.json({ code: 'UNAUTHENTICATED' }, { status: 401 })
    return NextResponse.redirect(new URL('/login', request.url))
  }
}

export const config = {
  matcher: [
    '/((?!_next/static|_next/image|favicon\\.ico|icon\\.svg|robots\\.txt|\\.well-known/|api/auth/[^%]*$).*)',
    { source: '/api/auth/:path*', has: [{ type: 'header', key: 'access-control-request-method' }] },
  ],
}
