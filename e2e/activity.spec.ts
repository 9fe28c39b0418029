import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { DEMO_ADMIN, DEMO_USER, expect, test } from './support'

// SPEC §9 /admin/activity: the charts show the events a scripted session just caused, each chart
// has its numbers as a table, the screen is axe-clean in both colour schemes and works at 360 px.

async function expectNoViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

/** The count in a chart's table: the column `series`, summed over its rows. */
async function tableTotal(page: Page, caption: string, series: string): Promise<number> {
  const table = page.getByRole('table', { name: caption })
  const headers = await table.locator('thead th').allTextContents()
  const column = headers.indexOf(series)
  const cells = await table.locator('tbody tr').evaluateAll((rows, index) => rows.map((row) => Number(row.children[index]?.textContent ?? 0)), column)
  return cells.reduce((sum, n) => sum + n, 0)
}

test.describe('the Activity screen', () => {
  test.use({ signedInAs: DEMO_ADMIN })

  test('shows the failed sign-ins and the refresh a scripted session just caused', async ({ page, request }) => {
    await page.goto('/admin/activity?range=1h')
    await page.getByText('Sign-ins and failures as a table').click()
    const failedBefore = await tableTotal(page, 'Sign-ins and failures, per interval (UTC)', 'Failed sign-ins')
    await page.getByText('Refreshes and grace replays as a table').click()
    const refreshesBefore = await tableTotal(page, 'Refreshes and grace replays, per interval (UTC)', 'Refreshes')
    const replaysBefore = await tableTotal(page, 'Refreshes and grace replays, per interval (UTC)', 'Grace replays')

    // The script: two wrong passwords for an unknown email, a sign-in, a refresh, and the used
    // refresh token again within the reuse grace (a second tab's race): a grace replay.
    for (const password of ['wrong-password-1', 'wrong-password-2']) await request.post('/api/auth/login', { data: { email: 'nobody-activity@example.com', password, transport: 'bearer' } })
    const login = (await (await request.post('/api/auth/login', { data: { ...DEMO_USER, transport: 'bearer' } })).json()) as { refreshToken: string; deviceId: string }
    const refresh = () => request.post('/api/auth/refresh', { data: { refreshToken: login.refreshToken }, headers: { 'x-device-id': login.deviceId } })
    expect((await refresh()).status()).toBe(200)
    expect((await refresh()).status()).toBe(200)

    await page.reload()
    await page.getByText('Sign-ins and failures as a table').click()
    await page.getByText('Refreshes and grace replays as a table').click()
    expect(await tableTotal(page, 'Sign-ins and failures, per interval (UTC)', 'Failed sign-ins')).toBe(failedBefore + 2)
    expect(await tableTotal(page, 'Refreshes and grace replays, per interval (UTC)', 'Refreshes')).toBe(refreshesBefore + 1)
    expect(await tableTotal(page, 'Refreshes and grace replays, per interval (UTC)', 'Grace replays')).toBe(replaysBefore + 1)
    await expect(page.getByRole('table', { name: 'Failures by reason' })).toContainText('unknown_email')
    // The charts themselves are drawn (SVG), for sighted people; the tables are what screen readers get.
    await expect(page.locator('.chart .recharts-wrapper')).toHaveCount(3)
    await expect(page.getByRole('link', { name: 'Last hour' })).toHaveAttribute('aria-current', 'page')
    await page.getByRole('link', { name: 'Last week' }).click()
    await expect(page).toHaveURL(/range=7d$/)
    await expect(page.getByRole('link', { name: 'Last week' })).toHaveAttribute('aria-current', 'page')
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`has no axe violations (${colorScheme}, 360 px, tables open)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme })
      await page.setViewportSize({ width: 360, height: 800 })
      await page.goto('/admin/activity?range=24h')
      for (const summary of await page.locator('details > summary').all()) await summary.click()
      await expectNoViolations(page)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
    })
  }
})

test('the Activity screen is for admins only: signed out, to sign-in; a person, 403', async ({ page, request }) => {
  await page.goto('/admin/activity')
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Factivity/)
  const login = (await (await request.post('/api/auth/login', { data: { ...DEMO_USER, transport: 'bearer' } })).json()) as { accessToken: string }
  expect((await request.get('/admin/activity', { headers: { authorization: `Bearer ${login.accessToken}` }, maxRedirects: 0 })).status()).toBe(403)
})
