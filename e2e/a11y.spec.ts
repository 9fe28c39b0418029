import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { DEMO_ADMIN, DEMO_USER, expect, expectOnDashboard, showIdleWarningNow, signInWithForm, test } from './support'

// SPEC §9: keyboard and screen-reader friendly. axe catches the mechanical part
// (labels, contrast, landmarks, ARIA); run in both colour schemes.

async function expectNoViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`accessibility (${colorScheme})`, () => {
    test.use({ colorScheme })

    for (const path of ['/', '/login?reason=expired', '/register', '/errors', '/errors/INVALID_CREDENTIALS', '/forbidden', '/no-such-page']) {
      test(`${path} has no axe violations`, async ({ page }) => {
        await page.goto(path)
        await expectNoViolations(page)
      })
    }

    test('the dashboard and a failed sign-in have no axe violations', async ({ page }) => {
      // Another email than the smoke test's, so the per-email failure limit stays far away.
      await signInWithForm(page, { email: `nobody-${colorScheme}@example.com`, password: 'wrong-password-1' })
      await expect(page.locator('form').getByRole('alert')).toBeVisible()
      await expectNoViolations(page)
      await signInWithForm(page)
      await expectOnDashboard(page)
      await page.getByRole('button', { name: 'Call protected API' }).click()
      await expect(page.getByRole('status').filter({ hasText: /^200\b/ })).toBeVisible()
      await page.getByRole('button', { name: /^Account menu for / }).click()
      await expect(page.getByRole('navigation', { name: 'Account' })).toBeVisible()
      await expectNoViolations(page)
    })

    test('/sessions with its confirmation, /settings/password with its errors, and the idle warning', async ({ page, signInThroughApi, context }) => {
      await signInThroughApi(DEMO_USER, { into: context })
      await page.goto('/dashboard')
      await expectOnDashboard(page)
      await page.goto('/sessions')
      await expect(page.getByText('This device', { exact: true })).toBeVisible()
      await expectNoViolations(page)
      await page.getByRole('button', { name: 'Sign out this device' }).click()
      await expect(page.getByRole('alertdialog')).toBeVisible()
      await expectNoViolations(page)
      await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()

      await page.goto('/settings/password')
      await page.getByRole('button', { name: /change password/i }).click()
      await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible()
      await expectNoViolations(page)

      await page.goto('/dashboard')
      await expectOnDashboard(page)
      await showIdleWarningNow(page)
      await expect(page.getByRole('alertdialog')).toContainText('Stay signed in?')
      await expectNoViolations(page)
      await page.getByRole('alertdialog').getByRole('button', { name: 'Stay signed in' }).click()
      await expect(page.getByRole('alertdialog')).toHaveCount(0)
      // Near the absolute end: the dialog that cannot extend, and offers a fresh sign-in.
      await showIdleWarningNow(page, { atAbsoluteEnd: true })
      await expect(page.getByRole('alertdialog')).toContainText('can’t be extended')
      await expectNoViolations(page)
    })

    test('/admin (users, roles, audit log) and the 403 page a user gets there', async ({ page, signInThroughApi, context }) => {
      await signInThroughApi(DEMO_ADMIN, { into: context })
      await page.goto('/dashboard')
      await expectOnDashboard(page)
      await page.goto('/admin')
      await expect(page.getByRole('status').filter({ hasText: /^Showing \d+ events?/ })).toBeVisible()
      await expectNoViolations(page)
      await context.clearCookies()
      await signInThroughApi(DEMO_USER, { into: context })
      await page.goto('/dashboard')
      await expectOnDashboard(page)
      await page.goto('/admin')
      await expect(page.getByRole('heading', { level: 1 })).toContainText(/access|forbidden|403/i)
      await expectNoViolations(page)
    })
  })
}

test('the sign-in form works with the keyboard alone', async ({ page }) => {
  await page.goto('/login')
  await page.getByLabel('Email').focus()
  await page.keyboard.type(DEMO_USER.email)
  await page.keyboard.press('Tab')
  await page.keyboard.type(DEMO_USER.password)
  await page.keyboard.press('Enter')
  await expectOnDashboard(page)
})

test('the layout fits a 360 px wide screen without sideways scrolling', async ({ page, signInThroughApi, context }) => {
  await page.setViewportSize({ width: 360, height: 740 })
  await signInThroughApi(DEMO_USER, { into: context })
  await page.goto('/dashboard')
  await expectOnDashboard(page)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  expect(overflow).toBeLessThanOrEqual(0)
})
