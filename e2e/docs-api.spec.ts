import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './support'

// Issue 12 item 5: /docs/api shows the interactive reference of GET /api/openapi.json under the
// site's CSP (decision 027): every operation listed, nothing blocked, nothing fetched from
// another origin, no console error, axe clean.

function watch(page: Page, origin: string): string[] {
  const problems: string[] = []
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`))
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('request', (request) => new URL(request.url()).origin !== origin && !request.url().startsWith('data:') && problems.push(`off-origin request: ${request.url()}`))
  page.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()} ${new URL(response.url()).pathname}`))
  return problems
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)
}

test.beforeEach(async ({ page }) => {
  // Chromium also logs each violation as a console error; this names the directive and the URL.
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __csp: string[] }).__csp = [])
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`))
  })
})

type Doc = { openapi: string; paths: Record<string, Record<string, { summary: string }>> }

/** The reference is up: its sidebar lists the operations and the first one is shown. */
async function referenceShown(page: Page) {
  await expect(page.getByRole('complementary', { name: /^Sidebar for NJ-JWT API/ })).toBeVisible({ timeout: 20_000 })
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible()
}

test('the reference lists every operation under the CSP, with nothing blocked or fetched elsewhere', async ({ page, baseURL, request }) => {
  const origin = new URL(baseURL!).origin
  const problems = watch(page, origin)
  const answer = await page.goto('/docs/api')
  expect(answer?.status()).toBe(200)
  expect(answer?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/)
  await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible()
  await referenceShown(page)
  const doc = (await (await request.get('/api/openapi.json')).json()) as Doc
  const sidebar = page.getByRole('complementary', { name: /^Sidebar for NJ-JWT API/ })
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      // Scalar abbreviates DELETE to DEL in its badge.
      await expect(sidebar.getByRole('link', { name: `${op.summary} HTTP Method: ${method.toUpperCase().slice(0, 3)}`, exact: false }), `${method} ${path}`).toBeVisible()
    }
  }
  // Opening one shows its section.
  await sidebar.getByRole('link', { name: 'Rotate the refresh token HTTP Method: POST' }).click()
  await expect(page.getByRole('heading', { name: 'Rotate the refresh token' })).toBeVisible()
  await page.waitForLoadState('networkidle')
  expect(await cspViolations(page)).toEqual([])
  expect(problems).toEqual([])
})

test('the header leads there, and the document it shows is the one the API serves', async ({ page, request }) => {
  await page.goto('/')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API' }).click()
  await expect(page).toHaveURL(/\/docs\/api$/)
  const document = await request.get('/api/openapi.json')
  expect(document.status()).toBe(200)
  expect(document.headers()['cache-control']).toBe('public, max-age=300')
  const body = (await document.json()) as Doc
  expect(body.openapi).toMatch(/^3\.1\./)
  expect(Object.keys(body.paths)).toContain('/api/auth/refresh')
})

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`accessibility (${colorScheme})`, () => {
    test.use({ colorScheme })
    test('/docs/api has no axe violations', async ({ page }) => {
      await page.goto('/docs/api')
      await referenceShown(page)
      const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
      expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
    })
  })
}
