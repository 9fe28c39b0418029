import { DEMO_USER, credentials, expect, expectOnDashboard, test } from './support'

// SPEC §5 on the real server: without AUTH_TRUST_PROXY the client IP is the socket's address.
// Forwarding headers a client makes up (and our own peer header) change nothing.
test('spoofed forwarding headers cannot pose as another address', async ({ playwright, baseURL }) => {
  const spoof = {
    'x-forwarded-for': '203.0.113.66',
    'x-real-ip': '203.0.113.67',
    'x-vercel-forwarded-for': '203.0.113.68',
    'x-njjwt-peer-address': '203.0.113.69',
  }
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: spoof })
  const login = await api.post('/api/auth/login', { data: { ...credentials(DEMO_USER), transport: 'bearer' } })
  expect(login.status()).toBe(200)
  const { accessToken } = await login.json()
  const sessions = await api.get('/api/auth/sessions', { headers: { authorization: `Bearer ${accessToken}` } })
  expect(sessions.status()).toBe(200)
  const { sessions: list } = await sessions.json()
  const current = list.find((session: { current: boolean }) => session.current)
  expect(current.ip).toBe('127.0.0.1')
  expect(JSON.stringify(list)).not.toContain('203.0.113.')
  await api.post('/api/auth/logout', { headers: { authorization: `Bearer ${accessToken}` } })
  await api.dispose()
})

test('a page a role may not see answers 403 with the forbidden page', async ({ page, context, signInThroughApi }) => {
  await signInThroughApi(DEMO_USER, { into: context })
  await page.goto('/dashboard')
  await expectOnDashboard(page)
  const response = await page.goto('/admin')
  expect(response?.status()).toBe(403)
  await expect(page.getByRole('heading', { name: /don.t have access/i })).toBeVisible()
})
