import { DEMO_USER, expect, expectOnDashboard, expectSentToLogin, expectTokensOutOfReach, signInWithForm, test } from './support'

test.describe('SPEC §9: signing in through the browser', () => {
  test('the demo user signs in with the form and sees their email and token claims', async ({ page, context }) => {
    await signInWithForm(page)
    await expectOnDashboard(page)
    await expect(page.getByText(DEMO_USER.email)).toBeVisible()
    const claims = page.getByLabel('Access token claims')
    await expect(claims).toContainText('sid')
    await expect(claims).toContainText('access')
    await expect(page.getByRole('timer')).toContainText(/expires in \d+:\d\d/)
    await expectTokensOutOfReach(page, context)
  })

  test('a wrong password shows a friendly message, not an error code', async ({ page }) => {
    await signInWithForm(page, { email: DEMO_USER.email, password: 'not-the-password' })
    const alert = page.locator('form').getByRole('alert')
    await expect(alert).toContainText('don’t match')
    await expect(alert).not.toContainText('INVALID_CREDENTIALS')
    await expect(page).toHaveURL((url) => url.pathname === '/login')
  })
})

test.describe('SPEC §6 and §9: returning to the page that asked for sign-in', () => {
  test('a signed-out visit to /dashboard is sent to sign in with next=/dashboard', async ({ page }) => {
    await page.goto('/dashboard')
    await expectSentToLogin(page, '/dashboard')
  })

  test('signing in with ?next=/dashboard returns there', async ({ page }) => {
    await signInWithForm(page, DEMO_USER, { query: '?next=%2Fdashboard' })
    await expectOnDashboard(page)
  })

  test('signing in with ?next= another same-origin page returns to that page', async ({ page }) => {
    await signInWithForm(page, DEMO_USER, { query: '?next=%2Ferrors%2FFORBIDDEN' })
    await expect(page).toHaveURL((url) => url.pathname === '/errors/FORBIDDEN')
  })

  for (const next of ['//evil.example', '/\\evil.example', 'https://evil.example/dashboard']) {
    test(`an open-redirect attempt (next=${next}) lands on the dashboard instead`, async ({ page }) => {
      await signInWithForm(page, DEMO_USER, { query: `?next=${encodeURIComponent(next)}` })
      await expectOnDashboard(page)
      expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host)
    })
  }
})

test.describe('SPEC §7 and §6: using and ending the session', () => {
  test.use({ signedInAs: DEMO_USER })

  test('a browser signed in through the API holds its own session: its refresh passes the device and user-agent binding', async ({ page }) => {
    await page.goto('/dashboard')
    await expectOnDashboard(page)
    // Not due yet, so nothing is issued; but the binding (SPEC §5) is checked before that (§4.5, §4.6).
    const refresh = await page.evaluate(async () => {
      const response = await fetch('/api/auth/refresh', { method: 'POST' })
      return { status: response.status, body: await response.text() }
    })
    expect(refresh.status, refresh.body).toBe(200)
  })

  test('"Call protected API" gets a 200 from /api/me', async ({ page }) => {
    await page.goto('/dashboard')
    await expectOnDashboard(page)
    await page.getByRole('button', { name: 'Call protected API' }).click()
    await expect(page.getByRole('status').filter({ hasText: /^200\b/ })).toBeVisible()
    await expect(page.locator('pre')).toContainText(DEMO_USER.email)
  })

  test('signing out returns to sign-in and the dashboard is closed afterwards', async ({ page }) => {
    await page.goto('/dashboard')
    await expectOnDashboard(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page).toHaveURL((url) => url.pathname === '/login')
    await page.goto('/dashboard')
    await expectSentToLogin(page, '/dashboard')
  })
})
