import type { Page } from '@playwright/test'
import { DEMO_ADMIN, expect, test } from './support'

// Issue 12 item 7: every screen loads without a console error and without a failed request
// (a missing favicon answered 404 on every page).

function watch(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`))
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()} ${new URL(response.url()).pathname}`))
  return problems
}

test('signed out: the public screens load cleanly', async ({ page }) => {
  const problems = watch(page)
  for (const path of ['/', '/login', '/register', '/errors', '/errors/ACCESS_TOKEN_EXPIRED']) {
    await page.goto(path)
    await page.waitForLoadState('networkidle')
  }
  expect(problems).toEqual([])
})

test.describe('signed in as an admin', () => {
  test.use({ signedInAs: DEMO_ADMIN })
  test('every signed-in screen loads cleanly, with an icon and the Sessions link in the header', async ({ page }) => {
    const problems = watch(page)
    for (const path of ['/dashboard', '/sessions', '/settings/password', '/admin']) {
      await page.goto(path)
      await page.waitForLoadState('networkidle')
    }
    const icon = await page.locator('link[rel="icon"]').getAttribute('href')
    expect(icon).toMatch(/^\/icon\.svg/)
    expect((await page.request.get(icon!)).status()).toBe(200)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click()
    await expect(page).toHaveURL(/\/sessions$/)
    expect(problems).toEqual([])
  })
})
