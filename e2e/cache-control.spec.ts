import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test'
import { DEMO_USER } from './support'

// Issue 8 item 3 (SPEC §3, RFC 9111): every response that sets an auth cookie, and every one the
// gate rewrites or redirects, says `Cache-Control: private, no-store`. On the production build the
// gate's 403 rewrite of a non-admin who refreshed on the way to /admin went out as the prerendered
// /forbidden page with `s-maxage=31536000` and the Set-Cookie of fresh tokens: a shared cache
// could have served that person's tokens to the next visitor. Three sign-ins, three refreshes.

// One user agent for the sign-in and the requests after it: another one is a session anomaly (SPEC §5).
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36 nj-jwt-cache-control'

test.use({ userAgent: USER_AGENT })

function expectPrivate(res: APIResponse) {
  const cacheControl = res.headers()['cache-control'] ?? ''
  expect(cacheControl, `${res.url()} Cache-Control`).toMatch(/\bprivate\b/)
  expect(cacheControl).toMatch(/\bno-store\b/)
  expect(cacheControl).not.toMatch(/s-maxage|public/)
}

const setCookieCount = (res: APIResponse) => res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').length

/** Signs the demo user in (cookie mode) and returns a Cookie header with only the refresh and device-id cookies. */
async function refreshAndDeviceCookies(request: APIRequestContext, baseURL: string): Promise<string> {
  const login = await request.post('/api/auth/login', { data: DEMO_USER, headers: { origin: new URL(baseURL).origin } })
  expect(login.status(), await login.text()).toBe(200)
  const pairs = login
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value.split(';')[0]!)
  const kept = pairs.filter((pair) => /-(rt|did)=/.test(pair))
  expect(kept).toHaveLength(2)
  return kept.join('; ')
}

test.describe('SPEC §3: answers carrying fresh tokens stay out of shared caches', () => {
  test('a non-admin with only the refresh cookie asking for /admin: 403, new cookies, private, no-store', async ({ playwright, baseURL }) => {
    const signIn = await playwright.request.newContext({ baseURL, userAgent: USER_AGENT })
    const cookie = await refreshAndDeviceCookies(signIn, baseURL!)
    const attack = await playwright.request.newContext({ baseURL, userAgent: USER_AGENT })
    const res = await attack.get('/admin', { headers: { cookie, accept: 'text/html' }, maxRedirects: 0 })
    expect(res.status()).toBe(403)
    expect(setCookieCount(res)).toBeGreaterThanOrEqual(2)
    expectPrivate(res)
    await Promise.all([signIn.dispose(), attack.dispose()])
  })

  test('a page navigation that refreshes (/dashboard with only the refresh cookie): new cookies, private, no-store', async ({ playwright, baseURL }) => {
    const signIn = await playwright.request.newContext({ baseURL, userAgent: USER_AGENT })
    const browser = await playwright.request.newContext({ baseURL, userAgent: USER_AGENT })
    const document = await browser.get('/dashboard', { headers: { cookie: await refreshAndDeviceCookies(signIn, baseURL!), accept: 'text/html' }, maxRedirects: 0 })
    expect(document.status()).toBe(200)
    expect(setCookieCount(document)).toBeGreaterThanOrEqual(2)
    expectPrivate(document)
    // A client-side navigation (an RSC request): Next answers with its own 307 to a cache-busting
    // `?_rsc=` URL, which carries the gate's Set-Cookie too.
    const flight = await browser.get('/dashboard', { headers: { cookie: await refreshAndDeviceCookies(signIn, baseURL!), rsc: '1' }, maxRedirects: 0 })
    expect(setCookieCount(flight)).toBeGreaterThanOrEqual(2)
    expectPrivate(flight)
    await Promise.all([signIn.dispose(), browser.dispose()])
  })

  test('the redirect to /login, and /forbidden itself, are never publicly cacheable', async ({ request }) => {
    const toLogin = await request.get('/dashboard', { headers: { accept: 'text/html' }, maxRedirects: 0 })
    expect(toLogin.status()).toBe(307)
    expect(new URL(toLogin.headers()['location']!, 'http://x').pathname).toBe('/login')
    expectPrivate(toLogin)
    // Rendered per request, not prerendered: no year-long shared-cache lifetime whatever arrives here.
    const forbidden = await request.get('/forbidden', { headers: { accept: 'text/html' } })
    expect(forbidden.status()).toBe(403)
    expect(forbidden.headers()['cache-control'] ?? '').not.toMatch(/s-maxage|public/)
  })
})
