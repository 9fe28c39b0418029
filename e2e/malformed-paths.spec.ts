import { expect, test, type APIResponse } from '@playwright/test'
import { readdir } from 'node:fs/promises'
import { DEMO_USER } from './support'

// Issue 8 item 6 (SPEC §7: never a 500 for bad input, never an HTML error page from an API).
// A malformed %-escape in the path reached Next's router, whose decodeURIComponent threw: a bare
// 500 text/plain, on /api/auth/* (outside the gate) and on public pages the gate passed through.
// Now /api paths answer problem+json and pages the app's 404 page. One bearer sign-in.

async function expectApiProblem(res: APIResponse, status: number) {
  expect(res.status(), res.url().slice(0, 120)).toBe(status)
  expect(res.headers()['content-type']).toMatch(/^application\/problem\+json/)
  expect((await res.json()).code).toEqual(expect.any(String))
}

async function expectNotFoundPage(res: APIResponse) {
  expect(res.status(), res.url().slice(0, 120)).toBe(404)
  expect(res.headers()['content-type']).toMatch(/^text\/html/)
  expect(await res.text()).toContain('Page not found')
}

test.describe('a malformed %-escape in the path', () => {
  test('/api paths answer 400 problem+json, signed in or not', async ({ request }) => {
    const login = await request.post('/api/auth/login', { data: { ...DEMO_USER, transport: 'bearer' } })
    expect(login.status()).toBe(200)
    const bearer = { authorization: `Bearer ${(await login.json()).accessToken}` }

    await expectApiProblem(await request.post('/api/auth/login%', { data: DEMO_USER }), 400)
    await expectApiProblem(await request.post('/api/auth/login%2', { data: DEMO_USER }), 400)
    await expectApiProblem(await request.get('/api/auth/%zz'), 400)
    await expectApiProblem(await request.delete('/api/auth/sessions/%C0%AF', { headers: bearer }), 400)
    await expectApiProblem(await request.get('/api/me%', { headers: bearer }), 400)
    await expectApiProblem(await request.get('/api/admin/users/%E0%A4%A', { headers: bearer }), 400)

    // The same class, reaching routes and handlers decoded: a NUL in an id, a bad escape in a query.
    await expectApiProblem(await request.delete('/api/auth/sessions/%00', { headers: bearer }), 404)
    const query = await request.get('/api/me?x=%', { headers: bearer })
    expect(query.status()).toBe(200)
    await request.post('/api/auth/logout', { headers: bearer })
  })

  test('pages answer the app’s 404 page, public or not', async ({ request, page }) => {
    for (const path of ['/errors/%', '/errors/%zz', '/%', '/dashboard%', '/login%C0%AF']) {
      await expectNotFoundPage(await request.get(path, { headers: { accept: 'text/html' }, maxRedirects: 0 }))
    }
    await expectNotFoundPage(await request.post('/errors/%', { headers: { accept: 'text/html' }, maxRedirects: 0 }))
    const response = await page.goto('/errors/%')
    expect(response?.status()).toBe(404)
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible()
  })
})

test.describe('other input that reaches Next’s routing never gives a 500', () => {
  test('the image optimizer is off: /_next/image?url=%2F% is the 404 page', async ({ request }) => {
    await expectNotFoundPage(await request.get('/_next/image?url=%2F%&w=64&q=75', { headers: { accept: 'text/html' } }))
  })

  test('an invented error code is a 404 and leaves no file in the ISR cache (CWE-400)', async ({ request }) => {
    const code = `E2E_INVENTED_${Date.now().toString(36).toUpperCase()}`
    await expectNotFoundPage(await request.get(`/errors/${code}`, { headers: { accept: 'text/html' } }))
    await expectNotFoundPage(await request.get('/errors/%00', { headers: { accept: 'text/html' } }))
    const files = await readdir('.next', { recursive: true })
    expect(files.filter((file) => file.includes(code))).toEqual([])
  })

  test('very long paths: a redirect or a problem, never a 500', async ({ request }) => {
    const long = 'a'.repeat(8000)
    const page = await request.get(`/dashboard/${long}`, { headers: { accept: 'text/html' }, maxRedirects: 0 })
    expect(page.status()).toBe(307)
    await expectApiProblem(await request.get(`/api/me/${long}%`), 400)
    await expectApiProblem(await request.get(`/api/me/${long}`), 401)
  })
})
