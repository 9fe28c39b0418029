import http from 'node:http'
import { Webhook } from 'standardwebhooks'
import { DEMO_ADMIN, DEMO_USER, expect, signInWithForm, test } from './support'

// SPEC §8a against the production server: a refresh-token reuse arrives at the webhook receiver
// (playwright.config.ts WEBHOOK_URL) signed, shortly after it happened, and the admin screen shows
// the delivery with its attempt and answer.
const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`

type Hook = { type: string; data: Record<string, unknown> }

test('a reuse detection reaches the receiver, signed, and the admin screen shows it delivered', async ({ request, browser }) => {
  const hooks: Hook[] = []
  const receiver = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      try {
        hooks.push(new Webhook(SECRET).verify(body, req.headers as Record<string, string>) as Hook)
        res.writeHead(204).end()
      } catch {
        res.writeHead(400).end()
      }
    })
  })
  await new Promise<void>((resolve) => receiver.listen(3196, '127.0.0.1', resolve))
  try {
    const login = await request.post('/api/auth/login', { data: { ...DEMO_USER, transport: 'bearer' } })
    expect(login.status(), await login.text()).toBe(200)
    const first = (await login.json()) as { refreshToken: string; deviceId: string }
    const rotate = (refreshToken: string) => request.post('/api/auth/refresh', { data: { refreshToken }, headers: { 'x-device-id': first.deviceId } })
    expect((await rotate(first.refreshToken)).status()).toBe(200)
    // After AUTH_REUSE_GRACE (2 s), the used token again is reuse: the session is revoked.
    await expect.poll(async () => ((await (await rotate(first.refreshToken)).json()) as { code?: string }).code, { timeout: 15_000, intervals: [1_000] }).toBe('REFRESH_TOKEN_REUSED')
    await expect.poll(() => hooks.map((hook) => hook.type), { timeout: 15_000 }).toContain('refresh_reuse_detected')
    expect(hooks.find((hook) => hook.type === 'refresh_reuse_detected')!.data).toMatchObject({ userId: expect.any(String), sessionId: expect.any(String) })

    const context = await browser.newContext()
    const page = await context.newPage()
    await signInWithForm(page, DEMO_ADMIN, { query: '?next=%2Fadmin' })
    await expect(page).toHaveURL(/\/admin$/)
    const section = page.getByRole('region', { name: 'Newest deliveries, with their last attempt' })
    await expect(section.getByRole('row').filter({ hasText: 'refresh_reuse_detected' }).filter({ hasText: 'delivered' }).first()).toBeVisible()
    await expect(section.getByRole('row').filter({ hasText: 'refresh_reuse_detected' }).first()).toContainText('HTTP 204')
    await context.close()
  } finally {
    await new Promise((resolve) => receiver.close(resolve))
  }
})
