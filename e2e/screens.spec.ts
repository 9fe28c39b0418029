import AxeBuilder from '@axe-core/playwright'
import type { BrowserContext, Page } from '@playwright/test'
import { DEMO_ADMIN, DEMO_USER, expect, expectOnDashboard, test } from './support'

// SPEC §9 screens: /sessions, /settings/password, /admin, and dark mode. Other e2e files share
// the demo accounts, so everything that changes an account (role, password, sessions) happens
// to a throwaway user registered here; the demo accounts are only read.

const RUN = Date.now().toString(36)
const throwaway = { email: `screens-${RUN}@example.com`, password: 'screens-pass-1' }

/**
 * An active person (SPEC §9): with 20 s access tokens an idle page would show the expiry
 * warning (and make the page inert) in the middle of these multi-step tests.
 */
async function stayActive(context: BrowserContext) {
  await context.addInitScript(() => {
    setInterval(() => window.dispatchEvent(new Event('pointermove')), 1500)
  })
}

test.beforeEach(async ({ context }) => {
  await stayActive(context)
})

test.beforeAll(async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL!).origin } })
  const created = await api.post('/api/auth/register', { data: { ...throwaway, name: 'Screens Throwaway' } })
  expect(created.status()).toBe(201)
  await api.dispose()
})

async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

test('a user opening /admin sees the 403 page', async ({ page, context, signInThroughApi }) => {
  await signInThroughApi(DEMO_USER, { into: context })
  await page.goto('/dashboard')
  await expectOnDashboard(page)
  const nav = page.getByRole('navigation', { name: 'Main' })
  await expect(nav.getByRole('link', { name: 'Sessions' })).toBeVisible()
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0)
  await expect(nav.getByRole('link', { name: 'Activity' })).toHaveCount(0)
  const response = await page.goto('/admin')
  expect(response?.status()).toBe(403)
  await expect(page.getByRole('heading', { level: 1, name: 'You don’t have access to this page' })).toBeVisible()
})

test('an admin changes a role, signs the user out everywhere and reads the audit log by event', async ({ page, context, signInThroughApi }) => {
  await signInThroughApi(DEMO_ADMIN, { into: context })
  await page.goto('/dashboard')
  await expectOnDashboard(page)
  // An admin's header offers the admin screens.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin', exact: true }).click()
  await expect(page).toHaveURL(/\/admin$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Admin' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' })).toHaveAttribute('href', '/admin/activity')

  const role = page.getByLabel(`Role of ${throwaway.email}`)
  const loadMore = page.getByRole('button', { name: 'Load more users' })
  await expect(page.getByRole('table', { name: 'Users and roles' })).toBeVisible()
  while (!(await role.isVisible()) && (await loadMore.isVisible())) await loadMore.click()
  await expect(role).toHaveValue('user')
  await role.selectOption('admin')
  await expect(page.getByRole('status').filter({ hasText: 'Role changed' })).toBeVisible()
  await expect(role).toHaveValue('admin')
  // The toast sits over the bottom-right corner, where this row's button can be; while it slides
  // in, a click aimed at the button lands on it. Dismiss it, as a person would.
  await page.getByRole('button', { name: 'Dismiss: Role changed' }).click()

  await page.getByRole('button', { name: `Sign out everywhere: ${throwaway.email}` }).click()
  const dialog = page.getByRole('alertdialog', { name: `Sign ${throwaway.email} out everywhere?` })
  await dialog.getByRole('button', { name: 'Sign out everywhere' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Signed out everywhere' })).toBeVisible()

  // The audit log, filtered by event: only role changes, the newest (ours) first.
  await page.getByLabel('Event', { exact: true }).selectOption('role_changed')
  await page.getByRole('button', { name: 'Apply filters' }).click()
  const audit = page.getByRole('table', { name: 'Audit events, newest first' })
  await expect(page.getByRole('status').filter({ hasText: /^Showing \d+ events?, newest first/ })).toBeVisible()
  const events = audit.locator('tbody th[scope=row]')
  await expect(events.first()).toHaveText('role changed')
  for (const text of await events.allTextContents()) expect(text).toBe('role changed')

  // People by email, not by id: a click on one shows only that person's events, and the filter
  // form says so.
  await audit.locator('tbody tr').first().getByRole('button', { name: `Only events of ${throwaway.email}` }).click()
  await expect(page.getByLabel('User id', { exact: true })).toHaveValue(/^\S+$/)
  await expect(page.getByLabel('Event', { exact: true })).toHaveValue('role_changed')
  await expect(audit.locator('tbody tr').first()).toContainText(throwaway.email)
  for (const row of await audit.locator('tbody tr').all()) await expect(row.getByRole('button', { name: `Only events of ${throwaway.email}` })).toBeVisible()

  // Put the role back: the throwaway stays a plain user for the tests below.
  await role.selectOption('user')
  await expect(role).toHaveValue('user')
})

test('/sessions shows this device, and revoking another context’s session signs that one out', async ({ page, context, browser, signInThroughApi }) => {
  test.slow() // three sign-ins, each a deliberate password hash
  const other = await browser.newContext()
  await stayActive(other)
  const otherPage = await other.newPage()
  await signInThroughApi(throwaway, { into: other })
  await otherPage.goto('/dashboard')
  await expectOnDashboard(otherPage)
  await signInThroughApi(throwaway, { into: context })
  await page.goto('/dashboard')
  await expectOnDashboard(page)

  await page.goto('/sessions')
  const devices = page.locator('.device-list > li > article')
  await expect(page.getByRole('status').filter({ hasText: /devices? signed in/ })).toBeVisible()
  const current = devices.filter({ has: page.getByText('This device', { exact: true }) })
  await expect(current).toHaveCount(1)
  await expect(current.getByText('IP address')).toBeVisible()
  const others = devices.filter({ hasNot: page.getByText('This device', { exact: true }) })
  const before = await others.count()
  expect(before).toBeGreaterThanOrEqual(1)

  // The newest other session is the other context's (it signed in just now); revoke them one by one would be slower.
  await others.first().getByRole('button', { name: /^Sign out / }).click()
  await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Device signed out' })).toBeVisible()
  await expect(others).toHaveCount(before - 1)

  // "Sign out all other devices" catches whichever session that was not.
  if (before > 1) {
    await page.getByRole('button', { name: 'Sign out all other devices' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out', exact: true }).click()
    await expect(others).toHaveCount(0)
  }

  await otherPage.getByRole('button', { name: 'Call protected API' }).click()
  await expect(otherPage.getByRole('alert').filter({ hasText: 'You were signed out' })).toBeVisible()
  await other.close()
})

test('a password change keeps this session, signs the others out, and the new password works', async ({ page, context, browser, signInThroughApi }) => {
  test.slow() // three sign-ins, each a deliberate password hash
  const other = await browser.newContext()
  await stayActive(other)
  const otherPage = await other.newPage()
  await signInThroughApi(throwaway, { into: other })
  await otherPage.goto('/dashboard')
  await expectOnDashboard(otherPage)
  await signInThroughApi(throwaway, { into: context })
  await page.goto('/dashboard')
  await expectOnDashboard(page)

  await page.goto('/settings/password')
  await page.getByLabel('Current password').fill('not-the-password')
  await page.getByLabel('New password', { exact: true }).fill('screens-pass-2')
  await page.getByLabel('Confirm new password').fill('screens-pass-2')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByText('The current password is wrong')).toBeVisible()
  await expect(page.getByLabel('Current password')).toBeFocused()

  await page.getByLabel('Current password').fill(throwaway.password)
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Password changed. Other devices were signed out.' })).toBeVisible()
  throwaway.password = 'screens-pass-2'

  // This tab is still signed in; the other context is not.
  await page.goto('/sessions')
  await expect(page.locator('.device-list > li > article')).toHaveCount(1)
  // The other context may already have noticed (its proactive refresh failed); either way its
  // session is over: the gate sends it to sign in.
  await otherPage.goto('/dashboard')
  await expect(otherPage).toHaveURL((url) => url.pathname === '/login')
  await other.close()

  const fresh = await browser.newContext()
  await stayActive(fresh)
  const freshPage = await fresh.newPage()
  await signInThroughApi(throwaway, { into: fresh })
  await freshPage.goto('/dashboard')
  await expectOnDashboard(freshPage)
  await fresh.close()
})

test('the theme choice wins over the system, is remembered, applies before paint, and can go back to the system', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/')
  const theme = page.getByRole('combobox', { name: 'Theme' })
  await expect(theme).toHaveValue('system')
  await expect(theme).toBeEnabled() // hydrated: the stored choice is known
  await theme.selectOption('dark')
  await expect(theme).toHaveValue('dark')
  // Read at DOMContentLoaded of the next load: the head script already set it, no flash.
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      ;(window as unknown as { themeAtLoad: string | null }).themeAtLoad = document.documentElement.getAttribute('data-theme')
    })
  })
  await page.reload()
  expect(await page.evaluate(() => (window as unknown as { themeAtLoad: string | null }).themeAtLoad)).toBe('dark')
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
  expect(background).toBe('rgb(17, 19, 24)')
  await expectNoSeriousViolations(page)

  // Back to the system (light here): the stored choice is gone, and so is the override.
  await expect(theme).toHaveValue('dark')
  await theme.selectOption('system')
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/)
  expect(await page.evaluate(() => localStorage.getItem('njjwt.theme'))).toBeNull()
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(17, 19, 24)')
})

// axe on these screens, light and dark: e2e/a11y.spec.ts.
test('/admin fits 360 px: wide tables scroll inside their own region, the page never sideways', async ({ page, context, signInThroughApi }) => {
  await signInThroughApi(DEMO_ADMIN, { into: context })
  await page.goto('/dashboard')
  await expectOnDashboard(page)
  await page.goto('/admin')
  await expect(page.getByRole('status').filter({ hasText: /^Showing \d+ events?/ })).toBeVisible()
  await page.setViewportSize({ width: 360, height: 740 })
  const wider = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !el.closest('.table-scroll'))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  )
  expect(wider).toEqual([])
})
