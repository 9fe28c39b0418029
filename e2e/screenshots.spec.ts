import type { Page } from '@playwright/test'
import path from 'node:path'
import { DEMO_ADMIN, DEMO_USER, expect, expectOnDashboard, showIdleWarningNow, test } from './support'

// The README's pictures (docs/screenshots/). Every run takes them, so a screen that stops
// rendering fails here; `npm run screenshots` (UPDATE_SCREENSHOTS=1) writes them into the repo.

const SHOTS_DIR = path.join(process.cwd(), 'docs', 'screenshots')

async function shoot(page: Page, name: string) {
  const file = process.env.UPDATE_SCREENSHOTS ? path.join(SHOTS_DIR, `${name}.png`) : test.info().outputPath(`${name}.png`)
  // Let transitions and web fonts settle; the countdown keeps ticking, which is the point.
  await page.evaluate(() => document.fonts.ready)
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' })
}

test.use({ viewport: { width: 1100, height: 760 } })

test('login, with the line people see after their session expired', async ({ page }) => {
  await page.goto('/login?next=%2Fsessions&reason=expired')
  await expect(page.getByText('Your session expired. Sign in again to continue.')).toBeVisible()
  await shoot(page, 'login')
})

test('dashboard with the countdown and a protected API call', async ({ page, context, signInThroughApi }) => {
  await signInThroughApi(DEMO_USER, { into: context })
  await page.goto('/dashboard')
  await expectOnDashboard(page)
  await page.getByRole('button', { name: 'Call protected API' }).click()
  await expect(page.getByRole('status').filter({ hasText: /^200\b/ })).toBeVisible()
  await expect(page.getByRole('timer')).toHaveText(/Session expires in \d+:\d\d/)
  await page.evaluate(() => window.scrollTo(0, 0))
  await shoot(page, 'dashboard')
})

test('the idle warning', async ({ page, context, signInThroughApi }) => {
  await signInThroughApi(DEMO_USER, { into: context })
  await page.goto('/dashboard')
  await expectOnDashboard(page)
  await showIdleWarningNow(page)
  await expect(page.getByRole('alertdialog')).toContainText('Stay signed in?')
  await shoot(page, 'warning-dialog')
})

test.describe('at 360 px', () => {
  test.use({ viewport: { width: 360, height: 740 }, signedInAs: DEMO_USER })

  test('sessions', async ({ page }) => {
    await page.goto('/dashboard')
    await expectOnDashboard(page)
    await page.goto('/sessions')
    await expect(page.getByText('This device', { exact: true })).toBeVisible()
    await shoot(page, 'sessions-360')
  })
})

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark', signedInAs: DEMO_ADMIN })

  test('admin: users and the audit log', async ({ page }) => {
    await page.goto('/dashboard')
    await expectOnDashboard(page)
    await page.goto('/admin')
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible()
    await expect(page.getByRole('status').filter({ hasText: /^Showing \d+ events?/ })).toBeVisible()
    await page.evaluate(() => document.getElementById('audit-heading')?.closest('section')?.scrollIntoView({ block: 'start' }))
    await shoot(page, 'admin-audit-dark')
  })
})

test.describe('the Activity screen', () => {
  test.use({ signedInAs: DEMO_ADMIN, viewport: { width: 1100, height: 1400 } })
  test('charts of the last hour', async ({ page, request }) => {
    // Something to draw: a few failed sign-ins, sign-ins and refreshes.
    for (let i = 0; i < 3; i++) await request.post('/api/auth/login', { data: { email: `shot-${i}@example.com`, password: 'wrong-password-1', transport: 'bearer' } })
    for (let i = 0; i < 2; i++) {
      const login = (await (await request.post('/api/auth/login', { data: { ...DEMO_USER, transport: 'bearer' } })).json()) as { refreshToken: string; deviceId: string }
      await request.post('/api/auth/refresh', { data: { refreshToken: login.refreshToken }, headers: { 'x-device-id': login.deviceId } })
    }
    await page.goto('/admin/activity?range=1h')
    await expect(page.locator('.chart .recharts-wrapper')).toHaveCount(3)
    await shoot(page, 'activity')
  })
})
