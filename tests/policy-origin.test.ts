import { NextRequest } from 'next/server'
import { describe, expect, it, vi } from 'vitest'
import { getCurrentUser } from '@/lib/auth/current-user'
import { pageAccessToken } from '@/lib/http/auth-edge'
import { proxy } from '@/proxy'
import { ORIGIN, TestClient, json, signIn } from './support/client'
import { createUser, setupTestApp } from './support/harness'

// One origin rule (lib/http/origin.ts) for the gate, the route handlers and the server components:
// X-Forwarded-Proto counts only from a proxy we trust (AUTH_TRUST_PROXY=1 or Vercel). Which cookie
// names a request is read by depends on it (`__Host-` over https), so if server components
// believed the client's header, a page could render another person than the gate let in.
const request = vi.hoisted(() => ({ headers: new Headers() }))
vi.mock('next/headers', async () => {
  const { RequestCookies } = await import('next/dist/compiled/@edge-runtime/cookies')
  return {
    headers: async () => request.headers,
    cookies: async () => new RequestCookies(request.headers),
  }
})

const app = setupTestApp({ AUTH_TRUST_PROXY: '' })

async function signedIn() {
  const user = await createUser(app.db)
  const browser = new TestClient()
  await signIn(browser, user.email, user.password)
  return { user, access: browser.cookies.get('njjwt-at')! }
}

describe('server components read the cookie the gate checked', () => {
  it('a client’s X-Forwarded-Proto: https on plain-http localhost changes nothing', async () => {
    const alice = await signedIn()
    const mallory = await signedIn()
    // Alice's browser carries her session; a `__Host-` cookie holds someone else's token.
    const headers = new Headers({ host: new URL(ORIGIN).host, 'x-forwarded-proto': 'https', cookie: `njjwt-at=${alice.access}; __Host-njjwt-at=${mallory.access}` })
    const gated = await proxy(new NextRequest(`${ORIGIN}/dashboard`, { headers }))
    expect(gated.headers.get('x-middleware-next')).toBe('1')
    const me = await json<{ user: { id: string } }>(await new TestClient().call('GET', '/api/me', { headers: { cookie: headers.get('cookie')!, 'x-forwarded-proto': 'https' } }))
    expect(me.user.id).toBe(alice.user.id)

    request.headers = headers
    expect((await getCurrentUser(await pageAccessToken()))?.user.id).toBe(alice.user.id)
  })
})
