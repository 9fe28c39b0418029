import { expect, type BrowserContext, type Page } from '@playwright/test'

// Seeded in embedded mode (SPEC §7).
import { DEMO_ADMIN, DEMO_USER } from '../lib/shared/demo-users'

export { DEMO_ADMIN, DEMO_USER }

const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/

/** Fills and submits the sign-in form at `/login` (plus an optional query string). */
export async function signIn(page: Page, user: { email: string; password: string } = DEMO_USER, query = '') {
  await page.goto(`/login${query}`)
  await page.getByLabel('Email').fill(user.email)
  await page.getByLabel('Password').fill(user.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export async function expectOnDashboard(page: Page) {
  await expect(page).toHaveURL((url) => url.pathname === '/dashboard')
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
}

export async function expectSentToLogin(page: Page, next: string) {
  await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('next') === next)
}

/** SPEC §3: tokens only in HttpOnly cookies, never readable by page scripts or kept in storage. */
export async function expectTokensOutOfReach(page: Page, context: BrowserContext) {
  const cookies = await context.cookies()
  expect(cookies.length).toBeGreaterThan(0)
  for (const cookie of cookies) {
    expect(cookie.httpOnly, `cookie ${cookie.name} is HttpOnly`).toBe(true)
    expect(cookie.sameSite, `cookie ${cookie.name} is SameSite=Lax`).toBe('Lax')
  }
  const visible = await page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify(Object.entries(localStorage)),
    session: JSON.stringify(Object.entries(sessionStorage)),
  }))
  expect(visible.cookie).toBe('')
  const html = await page.content()
  for (const where of [visible.local, visible.session, html]) {
    expect(where).not.toMatch(JWT)
    for (const cookie of cookies) expect(where).not.toContain(cookie.value)
  }
}

/**
 * Brings the idle warning up now instead of in half a minute: rewrites the shared session clock
 * (SPEC §9, times only) as another tab would after a refresh the person did not make, with the
 * access token ending in `secondsLeft`, and tells this tab the way the browser would.
 * For looking at the dialog (axe, screenshots); the session behaviour itself is tested in
 * session-experience.spec.ts on the real clock.
 */
export async function showIdleWarningNow(page: Page, { secondsLeft = 10, atAbsoluteEnd = false } = {}) {
  await page.evaluate(
    ({ seconds, atEnd }) => {
      const key = 'njjwt.session-clock'
      const clock = JSON.parse(localStorage.getItem(key) ?? 'null') as { accessExpiresAt: number; expiresAt: number; refreshedAt: number } | null
      if (!clock) throw new Error('no session clock: sign in first')
      const now = Date.now()
      const accessExpiresAt = now + seconds * 1000
      // At the absolute end no refresh can help: the dialog says so instead of offering one.
      const expiresAt = atEnd ? accessExpiresAt : clock.expiresAt
      localStorage.setItem(key, JSON.stringify({ ...clock, accessExpiresAt, expiresAt, refreshedAt: now + 1 }))
      window.dispatchEvent(new StorageEvent('storage', { key }))
    },
    { seconds: secondsLeft, atEnd: atAbsoluteEnd },
  )
  await expect(page.getByRole('alertdialog')).toBeVisible()
}
