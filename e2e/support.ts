import { expect, test as base, type BrowserContext, type Page } from '@playwright/test'

// Seeded in embedded mode (SPEC §7); the only copy of the demo accounts is the app's own.
import { DEMO_ADMIN, DEMO_USER, type DemoUser } from '../lib/shared/demo-users'

export { DEMO_ADMIN, DEMO_USER, expect }

export type Credentials = Pick<DemoUser, 'email' | 'password'>
type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>

/** What a sign-in form or API client sends: the email and password, nothing else of the account. */
export const credentials = ({ email, password }: Credentials): Credentials => ({ email, password })

const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/

/**
 * Fills and submits the sign-in form at `/login` (plus an optional query string). Only for tests
 * of the form itself; a test that only needs to be signed in uses `signedInAs` below.
 */
export async function signInWithForm(page: Page, user: Credentials = DEMO_USER, { query = '', rememberMe = false } = {}) {
  await page.goto(`/login${query}`)
  await page.getByLabel('Email').fill(user.email)
  await page.getByLabel('Password').fill(user.password)
  if (rememberMe) await page.getByLabel('Remember me').check()
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export type SignedIn = { user: Credentials; state: StorageState; /** When the login answer arrived (epoch ms): the access token's lifetime starts about then. */ at: number }

type SignInFixtures = {
  /** Signs this test's browser in through the API before it starts: `test.use({ signedInAs: DEMO_USER })`. */
  signedInAs: Credentials | null
  /** Signs `user` in through the API (cookie mode); `into` a browser context gives it the cookies. */
  signInThroughApi: (user: Credentials, options?: { rememberMe?: boolean; into?: BrowserContext }) => Promise<SignedIn>
  /** The sign-in `signedInAs` asked for, null without one. */
  signedIn: SignedIn | null
}

// The headers the browser itself sends, by context options: the session binds the user agent,
// Accept-Language and platform hint of the sign-in (SPEC §5), so a sign-in made without them
// would end in SESSION_ANOMALY at the browser's first refresh.
const browserHeaders = new Map<string, Promise<Record<string, string>>>()

/**
 * Learns them from a navigation the browser makes to the site's origin, answered by the test
 * itself (page.route): no request reaches the server.
 */
async function headersOfBrowser(newContext: () => Promise<BrowserContext>, baseURL: string): Promise<Record<string, string>> {
  const context = await newContext()
  try {
    const page = await context.newPage()
    const url = new URL('/__e2e-browser-headers', baseURL).href
    let sent: Record<string, string> = {}
    await page.route(url, async (route) => {
      sent = await route.request().allHeaders()
      await route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>headers</title>' })
    })
    await page.goto(url)
    return Object.fromEntries(Object.entries(sent).filter(([name]) => name === 'user-agent' || name === 'accept-language' || name.startsWith('sec-ch-ua')))
  } finally {
    await context.close()
  }
}

/**
 * Specs that only need someone signed in sign in through the API, not the form: one
 * `POST /api/auth/login` per sign-in, as the form makes (the per-IP login budget, see
 * e2e/api-contract.spec.ts), with this site's Origin and the browser's own headers.
 */
export const test = base.extend<SignInFixtures>({
  signedInAs: [null, { option: true }],

  signInThroughApi: async ({ playwright, browser, baseURL, userAgent, locale, extraHTTPHeaders }, provide) => {
    const key = JSON.stringify([userAgent, locale, extraHTTPHeaders])
    await provide(async (user, { rememberMe = false, into } = {}) => {
      // The options named: a context made in a fixture, before the test's own, gets no defaults.
      if (!browserHeaders.has(key)) browserHeaders.set(key, headersOfBrowser(() => browser.newContext({ userAgent, locale, extraHTTPHeaders }), baseURL!))
      const headers = await browserHeaders.get(key)!
      const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { ...headers, origin: new URL(baseURL!).origin } })
      try {
        const login = await api.post('/api/auth/login', { data: { ...credentials(user), rememberMe } })
        const at = Date.now()
        expect(login.status(), `sign-in of ${user.email}: ${await login.text()}`).toBe(200)
        const signedIn = { user, state: await api.storageState(), at }
        if (into) await into.addCookies(signedIn.state.cookies)
        return signedIn
      } finally {
        await api.dispose()
      }
    })
  },

  signedIn: async ({ signedInAs, signInThroughApi }, provide) => {
    await provide(signedInAs ? await signInThroughApi(signedInAs) : null)
  },

  storageState: async ({ signedIn, storageState }, provide) => {
    await provide(signedIn?.state ?? storageState)
  },
})

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
  // The page writes the shared clock once it has hydrated, which on a busy machine can come after
  // the dashboard's heading is visible.
  await page.waitForFunction(() => localStorage.getItem('njjwt.session-clock') !== null)
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
