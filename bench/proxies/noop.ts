import { NextResponse } from 'next/server'

// Bench variant "no-op proxy.ts": the same matcher as the real gate, and nothing else. What any
// proxy.ts costs before it does any work; every other variant is a ratio to this one.

export function proxy() {
  return NextResponse.next()
}

export const config = {
  matcher: [
    '/((?!_next/static|_next/image|favicon\\.ico|icon\\.svg|robots\\.txt|\\.well-known/|api/auth/[^%]*$).*)',
    { source: '/api/auth/:path*', has: [{ type: 'header', key: 'access-control-request-method' }] },
  ],
}
