import type { Page } from '@playwright/test'
import {
  ACCESS_TTL_MS,
  REFRESH_PATH,
  alertDialogsSeen,
  countdownSeconds,
  countdownEnds,
  countdowns,
  gaps,
  openTab,
  recordRequests,
  signInTimed,
  simulateInput,
  sleep,
  watchForAlertDialogs,
  type SeenRequest,
} from './session-support'
import { DEMO_USER, expect, expectOnDashboard, expectSentToLogin, test } from './support'

// SPEC §9 as a person lives it, with the short lifetimes of playwright.config.ts: access 20 s,
// proactive refresh 4 s before access expiry, warning 10 s before expiry (the server rotates
// within AUTH_REFRESH_WINDOW, 10 s, so [Stay signed in] can extend). These tests wait in real
// time: the cookies expire on the real clock.
//
// One refresh per lifetime: a token issued at t ends at floor(t) + 20 s and is refreshed 4 s
// before, so consecutive refreshes are 15–16 s apart. Two in one lifetime would be seconds
// apart; a lifetime without one would leave a gap of 20 s or more (and a 401 or a dialog).
const REFRESH_GAP = { min: 12_000, max: ACCESS_TTL_MS }

async function statuses(requests: SeenRequest[]) {
  return Promise.all(requests.map((r) => r.status))
}

async function expectNo401(requests: SeenRequest[]) {
  const unauthorized = []
  for (const r of requests) if ((await r.status) === 401) unauthorized.push(`${r.method} ${r.path}`)
  expect(unauthorized, 'no request was answered 401').toEqual([])
}

function spread(values: number[]): number {
  return values.every(Number.isFinite) ? Math.max(...values) - Math.min(...values) : Number.POSITIVE_INFINITY
}

const callButton = (page: Page) => page.getByRole('button', { name: 'Call protected API' })
const callStatus = (page: Page) => page.getByRole('status').filter({ hasText: /^(\d{3}\b|Calling|No response)/ })

test.describe('SPEC §9: silent refresh for active people', () => {
  test('an active person stays signed in across three access lifetimes, with no dialog and exactly one refresh per lifetime', async ({
    page,
    context,
    signInThroughApi,
  }) => {
    test.setTimeout(150_000)
    await watchForAlertDialogs(page)
    const requests = recordRequests(context)
    const signedInAt = (await signInThroughApi(DEMO_USER, { into: context })).at
    await page.goto('/dashboard')
    await expectOnDashboard(page)

    // Input every 3 s until the fourth refresh: the sign-in token and three refreshed ones
    // have each reached their end and been replaced once.
    const giveUpAt = signedInAt + 4 * ACCESS_TTL_MS + 5_000
    while (requests.refreshes().length < 4 && Date.now() < giveUpAt) {
      await simulateInput(page)
      await expect(page.getByRole('alertdialog')).toHaveCount(0)
      await sleep(3_000)
    }
    await simulateInput(page)
    await sleep(2_000) // a second refresh for the same token would leave by now
    const elapsed = Date.now() - signedInAt
    expect(elapsed).toBeGreaterThan(3 * ACCESS_TTL_MS)

    const refreshes = requests.refreshes()
    expect(refreshes).toHaveLength(4)
    expect(await statuses(refreshes)).toEqual([200, 200, 200, 200])
    for (const r of refreshes) expect(((await (await r.response)!.json()) as { rotated: boolean }).rotated).toBe(true)
    const times = [signedInAt, ...refreshes.map((r) => r.at)]
    for (const gap of gaps(times)) {
      expect(gap).toBeGreaterThanOrEqual(REFRESH_GAP.min)
      expect(gap).toBeLessThanOrEqual(REFRESH_GAP.max)
    }
    await expectNo401(requests.all())

    // Never interrupted: no dialog at any moment, still on the page, the API still answers.
    expect(await alertDialogsSeen(page)).toBe(0)
    await expectOnDashboard(page)
    expect(await countdownSeconds(page)).toBeGreaterThan(0)
    await callButton(page).click()
    await expect(callStatus(page)).toHaveText(/^200\b/)
    await expect(page.getByText('The access token had expired')).toHaveCount(0)
    // The dashboard's token timeline followed along: the sign-in and four refreshes, newest first.
    const timeline = page.getByRole('list', { name: 'Token timeline, newest first' }).getByRole('listitem')
    await expect(timeline.filter({ hasText: 'Refreshed — new access token' })).toHaveCount(4)
    await expect(timeline.last()).toContainText('Signed in')
    test.info().annotations.push({ type: 'refreshes (ms after sign-in)', description: refreshes.map((r) => r.at - signedInAt).join(', ') })
  })

  test('three tabs on the dashboard over two lifetimes: one refresh per lifetime in all, the same countdown in every tab', async ({ page, context, signInThroughApi }) => {
    test.setTimeout(90_000)
    const requests = recordRequests(context)
    const signedInAt = (await signInThroughApi(DEMO_USER, { into: context })).at
    await page.goto('/dashboard')
    await expectOnDashboard(page)
    const tabs = [page, await openTab(context), await openTab(context)]
    for (const tab of tabs) await expectOnDashboard(tab)

    // Two lifetimes and a bit; the third refresh is due at 45 s at the earliest.
    const endAt = signedInAt + 2 * ACCESS_TTL_MS + 2_000
    let step = 0
    const readings: number[][] = []
    while (Date.now() < endAt) {
      await simulateInput(tabs[step++ % tabs.length]!)
      // The same countdown, ±1 s (whole seconds, each tab ticking on its own). Compared as the
      // end each tab counts down to; right after a refresh another tab may need a moment to hear of it.
      await expect
        .poll(
          async () => {
            const ends = await countdownEnds(tabs)
            readings.push(ends.map((end) => Math.round((end - signedInAt) / 100) / 10))
            return spread(ends)
          },
          { timeout: 5_000, intervals: [250], message: `tabs disagree; readings (s after sign-in each tab counts to): ${JSON.stringify(readings.slice(-6))}` },
        )
        .toBeLessThanOrEqual(1_000 + 250)
      await sleep(Math.max(0, Math.min(3_000, endAt - Date.now())))
    }

    // The window ends at endAt even when the last look came late (the third refresh is due ~45 s).
    const refreshes = requests.refreshes().filter((r) => r.at <= endAt)
    expect(refreshes).toHaveLength(2)
    expect(await statuses(refreshes)).toEqual([200, 200])
    for (const gap of gaps([signedInAt, ...refreshes.map((r) => r.at)])) {
      expect(gap).toBeGreaterThanOrEqual(REFRESH_GAP.min)
      expect(gap).toBeLessThanOrEqual(REFRESH_GAP.max)
    }
    await expectNo401(requests.all())
    for (const tab of tabs) {
      await expectOnDashboard(tab)
      await expect(tab.getByRole('alertdialog')).toHaveCount(0)
    }
    // The countdown moved on after each refresh, in every tab at once.
    const final = await countdowns(tabs)
    expect(spread(final)).toBeLessThanOrEqual(1)
    expect(Math.min(...final)).toBeGreaterThan(0)
    test.info().annotations.push({ type: 'countdown readings', description: readings.map((r) => r.join('/')).join(' ') })
  })

  test('an access token that expired before a protected API call is refreshed and the call replayed, invisibly', async ({ page, context, signInThroughApi }) => {
    test.setTimeout(60_000)
    const requests = recordRequests(context)
    // The proactive refresh (due ~16 s after sign-in) never reaches the server, as when a laptop
    // slept through it: the browser tries three times, then again 15 s later, all in vain.
    let blocking = true
    let blocked = 0
    await page.route(`**${REFRESH_PATH}`, (route) => {
      if (!blocking) return route.continue()
      blocked++
      return route.abort('internetdisconnected')
    })
    const signedInAt = (await signInThroughApi(DEMO_USER, { into: context })).at
    await page.goto('/dashboard')
    await expectOnDashboard(page)
    await expect.poll(() => blocked, { timeout: 25_000 }).toBeGreaterThanOrEqual(3)

    // The access cookie runs out (Max-Age = access lifetime + AUTH_EXPIRY_GRACE, 20 s + 10 s): the
    // browser drops it, and the server would no longer accept the token anyway.
    const accessCookies = async () => (await context.cookies()).filter((c) => c.name.endsWith('-at')).length
    await expect.poll(accessCookies, { timeout: 20_000, intervals: [250] }).toBe(0)
    expect(Date.now() - signedInAt).toBeGreaterThan(ACCESS_TTL_MS)
    expect((await context.cookies()).filter((c) => c.name.endsWith('-rt'))).toHaveLength(1)
    await expect(page.getByRole('alertdialog')).toHaveCount(0)

    blocking = false
    const before = requests.all().length
    await callButton(page).click()
    await expect(callStatus(page)).toHaveText(/^200\b/)
    await expect(page.locator('pre')).toContainText(DEMO_USER.email)

    // 401 → one refresh → the replay, and nothing else (the token timeline reloading after the
    // new token is the dashboard showing that refresh, not part of the call).
    const calls = requests
      .all()
      .slice(before)
      .filter((r) => r.path !== '/api/auth/session/timeline')
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/me', `POST ${REFRESH_PATH}`, 'GET /api/me'])
    expect(await statuses(calls)).toEqual([401, 200, 200])
    const problem = (await (await calls[0]!.response)!.json()) as { code?: string }
    expect(problem.code).toBe('ACCESS_TOKEN_EXPIRED')

    // Invisible: same page, no dialog, no toast, no error; the dashboard only notes it in small print.
    await expectOnDashboard(page)
    await expect(page.getByRole('alertdialog')).toHaveCount(0)
    await expect(page.getByText('You were signed out')).toHaveCount(0)
    await expect(page.getByText('The access token had expired: it was refreshed and the call replayed, silently.')).toBeVisible()
    expect(await countdownSeconds(page)).toBeGreaterThan(10)
  })
})

test.describe('SPEC §9: the idle warning', () => {
  test('idle → the warning in every tab → [Stay signed in] extends the session with a toast and closes the dialog everywhere', async ({
    page,
    context,
    signInThroughApi,
  }) => {
    test.setTimeout(90_000)
    const requests = recordRequests(context)
    const signedInAt = (await signInThroughApi(DEMO_USER, { into: context })).at
    await page.goto('/dashboard')
    await expectOnDashboard(page)
    const tabs = [page, await openTab(context)]

    // No input from here on. Arriving was activity, so the sign-in token is refreshed once
    // (~16 s); then the person is idle and is warned 10 s before that token ends (~26 s).
    for (const tab of tabs) await expect(tab.getByRole('alertdialog')).toBeVisible({ timeout: 45_000 })
    const warnedAfter = Date.now() - signedInAt
    const left = await countdownSeconds(page)
    const refreshesBefore = requests.refreshes().length
    await expect(tabs[1]!.getByRole('alertdialog')).toContainText(/Your session will expire in \d+ seconds?\. Stay signed in\?/)
    await expect(tabs[1]!.getByRole('alertdialog').getByRole('button', { name: 'Log out' })).toBeVisible()
    // The person answers at once, in the second tab.
    await tabs[1]!.getByRole('alertdialog').getByRole('button', { name: 'Stay signed in' }).click()
    expect(warnedAfter).toBeGreaterThan(ACCESS_TTL_MS)
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThanOrEqual(10)
    expect(refreshesBefore).toBe(1)
    await expect(tabs[1]!.getByText('Session extended')).toBeVisible()
    for (const tab of tabs) await expect(tab.getByRole('alertdialog')).toHaveCount(0, { timeout: 2_000 })
    // Extended in every tab: the countdown is back near a full lifetime.
    for (const tab of tabs) {
      await expectOnDashboard(tab)
      await expect.poll(() => countdownSeconds(tab), { timeout: 10_000 }).toBeGreaterThan(12)
    }
    const refreshes = requests.refreshes()
    expect(await statuses(refreshes)).toEqual(refreshes.map(() => 200))
    // [Stay signed in] itself refreshes (SPEC §9): its one request comes back with a new token.
    const stay = refreshes[refreshesBefore]!
    const stayAnswer = (await (await stay.response)!.json()) as { rotated: boolean }
    test.info().annotations.push({ type: 'Stay signed in refresh', description: `rotated=${stayAnswer.rotated}; refreshes after the click: ${refreshes.length - refreshesBefore}` })
    expect(stayAnswer.rotated, '[Stay signed in] got a new access token').toBe(true)
    expect(refreshes).toHaveLength(refreshesBefore + 1)
    await expectNo401(requests.all())
    test.info().annotations.push({ type: 'warned after (ms)', description: String(warnedAfter) })
  })

  test('idle → no answer → signed out at expiry onto /login with the reason → signing in returns to the page it left, query included', async ({
    page,
    context,
    signInThroughApi,
  }) => {
    test.setTimeout(90_000)
    const requests = recordRequests(context)
    const left = '/dashboard?view=tokens&from=e2e'
    const signedInAt = (await signInThroughApi(DEMO_USER, { into: context })).at
    await page.goto(left)
    await expect(page).toHaveURL((url) => url.pathname + url.search === left)
    await expectOnDashboard(page)

    await expect(page.getByRole('alertdialog')).toBeVisible({ timeout: 45_000 })
    // Nobody answers.
    await page.waitForURL((url) => url.pathname === '/login', { timeout: 20_000 })
    const signedOutAfter = Date.now() - signedInAt
    await expectSentToLogin(page, left)
    expect(new URL(page.url()).searchParams.get('reason')).toBe('expired')
    await expect(page.getByText('Your session expired. Sign in again to continue.')).toBeVisible()
    expect(requests.to('POST', '/api/auth/logout')).toHaveLength(1)
    expect((await context.cookies()).filter((c) => c.name.endsWith('-at') || c.name.endsWith('-rt'))).toEqual([])
    // Signed out at the end of the refreshed token: after the warning, not before the first lifetime.
    expect(signedOutAfter).toBeGreaterThan(ACCESS_TTL_MS + 10_000)

    await page.getByLabel('Email').fill(DEMO_USER.email)
    await page.getByLabel('Password').fill(DEMO_USER.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page).toHaveURL((url) => url.pathname + url.search === left)
    await expectOnDashboard(page)
    test.info().annotations.push({ type: 'signed out after (ms)', description: String(signedOutAfter) })
  })
})

test.describe('SPEC §9: across tabs and devices', () => {
  test('signing in in one tab takes another tab waiting on /login to where it was headed', async ({ page, context }) => {
    const waiting = await context.newPage()
    await waiting.goto('/login?next=%2Fsessions%3Fview%3Dall')
    await expect(waiting.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
    // Hydrated (the theme select waits for it), so the page listens to other tabs.
    await expect(waiting.getByRole('combobox', { name: 'Theme' })).toBeEnabled()
    await signInTimed(page)
    await expectOnDashboard(page)
    await waiting.waitForURL((url) => url.pathname === '/sessions' && url.search === '?view=all')
    await expect(waiting.getByText('This device', { exact: true })).toBeVisible()
  })

  test('signing out in one tab puts every tab on the login page within a second', async ({ page, context, signInThroughApi }) => {
    test.setTimeout(60_000)
    await signInThroughApi(DEMO_USER, { into: context })
    await page.goto('/dashboard')
    await expectOnDashboard(page)
    const tabs = [page, await openTab(context), await openTab(context)]
    for (const tab of tabs) await expectOnDashboard(tab)

    const loggedOut = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/auth/logout')
    const clickedAt = Date.now()
    await page.getByRole('button', { name: 'Sign out' }).click()
    expect((await loggedOut).ok()).toBe(true)
    const answeredAfter = Date.now() - clickedAt
    for (const tab of tabs) await tab.waitForURL((url) => url.pathname === '/login', { timeout: 15_000 })

    // When each tab began loading /login, by the browser's own clock (performance.timeOrigin of
    // the login document: the start of its navigation), against the tab where Sign out was clicked.
    const started = await Promise.all(tabs.map((tab) => tab.evaluate(() => performance.timeOrigin)))
    const behind = started.map((t) => Math.round(t - started[0]!))
    test.info().annotations.push({
      type: 'sign-out timings (ms)',
      description: `logout answered ${answeredAfter} after the click (as seen by the test); the other tabs left for /login ${behind.slice(1).join(', ')} after the clicked one`,
    })
    for (const ms of behind) expect(Math.abs(ms)).toBeLessThan(1_000)
    for (const tab of tabs) await expect(tab.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
    expect((await context.cookies()).filter((c) => c.name.endsWith('-at') || c.name.endsWith('-rt'))).toEqual([])
    await tabs[1]!.goto('/dashboard')
    await expectSentToLogin(tabs[1]!, '/dashboard')
  })

  test('a session revoked from /sessions in another browser signs this one out with a toast on its next action', async ({ page, context, browser, signInThroughApi }) => {
    const requests = recordRequests(context)
    await signInThroughApi(DEMO_USER, { into: context })
    await page.goto('/dashboard')
    await expectOnDashboard(page)

    // The same person on another device ends this session from its /sessions page. "Sign out
    // all other devices" is sure to include this one, whatever sessions earlier tests left.
    const elsewhere = await browser.newContext({ baseURL: test.info().project.use.baseURL })
    // The person there is busy (no idle warning over /sessions while this test goes on).
    await elsewhere.addInitScript(() => setInterval(() => window.dispatchEvent(new Event('pointermove')), 1500))
    try {
      const other = await elsewhere.newPage()
      await signInThroughApi(DEMO_USER, { into: elsewhere })
      await other.goto('/dashboard')
      await expectOnDashboard(other)
      await other.goto('/sessions')
      const thisDevice = other.locator('.device-list article').filter({ has: other.getByText('This device', { exact: true }) })
      await expect(thisDevice).toHaveCount(1)
      const revokeAnswer = other.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/auth/sessions/revoke-others')
      await other.getByRole('button', { name: 'Sign out all other devices' }).click()
      await other.getByRole('alertdialog').getByRole('button', { name: 'Sign out', exact: true }).click()
      expect((await revokeAnswer).status()).toBe(200)
      await expect(other.getByRole('status').filter({ hasText: 'Other devices signed out' })).toBeVisible()
      await expect(other.locator('.device-list article')).toHaveCount(1)

      // Nothing happens here until the person does something.
      const before = requests.all().length
      await callButton(page).click()
      const toast = page.getByRole('alert').filter({ hasText: 'You were signed out' })
      await expect(toast).toBeVisible()
      await expect(toast).toContainText('This session was ended')
      await expect(toast).not.toContainText('ACCESS_TOKEN_REVOKED')
      await expect(toast.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', `/login?next=${encodeURIComponent('/dashboard')}`)
      await expect(page.getByRole('timer')).toHaveText('Signed out')
      const calls = requests.all().slice(before)
      expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/me'])
      expect(await statuses(calls)).toEqual([401])
      expect(((await (await calls[0]!.response)!.json()) as { code?: string }).code).toBe('ACCESS_TOKEN_REVOKED')

      // The other device's own session goes on.
      await other.goto('/dashboard')
      await expectOnDashboard(other)
      await callButton(other).click()
      await expect(callStatus(other)).toHaveText(/^200\b/)
    } finally {
      await elsewhere.close()
    }
  })
})

test.describe('SPEC §9 and §3: Remember me', () => {
  test('Remember me off: the refresh cookie is a browser-session cookie', async ({ page, context }) => {
    await signInTimed(page, { rememberMe: false })
    await expectOnDashboard(page)
    const cookies = await context.cookies()
    const refresh = cookies.find((c) => c.name.endsWith('-rt'))
    expect(refresh, 'a refresh cookie is set').toBeDefined()
    expect(refresh!.expires).toBe(-1)
  })

  test('Remember me on: the refresh cookie lasts as long as the refresh token', async ({ page, context }) => {
    const signedInAt = await signInTimed(page, { rememberMe: true })
    await expectOnDashboard(page)
    const refresh = (await context.cookies()).find((c) => c.name.endsWith('-rt'))
    expect(refresh, 'a refresh cookie is set').toBeDefined()
    // AUTH_REFRESH_TTL is 2 minutes in playwright.config.ts.
    const lifeSeconds = refresh!.expires - signedInAt / 1000
    expect(lifeSeconds).toBeGreaterThan(110)
    expect(lifeSeconds).toBeLessThanOrEqual(121)
  })
})

test.describe('SPEC §9: slow and lost connections', () => {
  test('a refresh slower than a second shows a spinner, and a lost connection is retried, said, and recovered from', async ({ page, context, signInThroughApi }) => {
    test.setTimeout(90_000)
    await context.addInitScript(() => setInterval(() => window.dispatchEvent(new Event('pointermove')), 1500))
    const requests = recordRequests(context)
    await signInThroughApi(DEMO_USER, { into: context })
    await page.goto('/dashboard')
    await expectOnDashboard(page)

    // The proactive refresh (~16 s in) takes 1.8 s: past the 1 s mark the spinner shows, then goes.
    await context.route(`**${REFRESH_PATH}`, async (route) => {
      await sleep(1_800)
      await route.continue()
    })
    const spinner = page.getByRole('status').filter({ hasText: 'Refreshing your session…' })
    await expect(spinner).toBeVisible({ timeout: 30_000 })
    await expect(spinner).toHaveCount(0, { timeout: 10_000 })
    await context.unroute(`**${REFRESH_PATH}`)
    expect(await statuses(requests.refreshes())).toEqual([200])
    await expect(page.getByRole('alertdialog')).toHaveCount(0)

    // Offline: the call is tried three times over about two seconds, and the page says so.
    await context.setOffline(true)
    await callButton(page).click()
    await expect(page.getByRole('status').filter({ hasText: 'Connection lost. Reconnecting…' })).toBeVisible()
    await expect(page.getByRole('status').filter({ hasText: 'You’re offline' })).toBeVisible({ timeout: 10_000 })
    await expect(callStatus(page)).toHaveText('No response')
    await expect(page.getByText('You were signed out')).toHaveCount(0)

    // Back online: the next call works and the notice goes; the session was never lost.
    await context.setOffline(false)
    await callButton(page).click()
    await expect(callStatus(page)).toHaveText(/^200\b/)
    await expect(page.getByRole('status').filter({ hasText: /offline|Reconnecting/ })).toHaveCount(0)
    await expectNo401(requests.all())
  })
})

test.describe('SPEC §9 on a browser whose clock is wrong', () => {
  test('a clock 5 minutes ahead still counts down from the server’s expiry, refreshes when the server rotates, and warns on time', async ({
    page,
    context,
  }) => {
    test.setTimeout(90_000)
    // The page's clock runs 5 minutes ahead of the server's (and the test's); time still flows.
    await context.clock.install({ time: Date.now() + 5 * 60_000 })
    const requests = recordRequests(context)
    // Through the form: its answer is this browser's first reading of the server's clock. (Arriving
    // signed in with no reading yet, the page makes one early not-due refresh before it has one.)
    const signedInAt = await signInTimed(page)
    await expectOnDashboard(page)
    const skew = (await page.evaluate(() => Date.now())) - Date.now()
    expect(skew).toBeGreaterThan(4 * 60_000)

    // Not "expired 5 minutes ago": the countdown shows the 20 s token's own time.
    await expect.poll(() => countdownSeconds(page)).toBeGreaterThan(10)
    expect(await countdownSeconds(page)).toBeLessThanOrEqual(20)

    // Arriving was activity: one refresh, late enough that the server rotates; then, idle, the
    // warning 10 s before that token ends — not at once, and nobody signed out meanwhile.
    await expect(page.getByRole('alertdialog')).toBeVisible({ timeout: 45_000 })
    const warnedAfter = Date.now() - signedInAt
    expect(warnedAfter).toBeGreaterThan(ACCESS_TTL_MS)
    const refreshes = requests.refreshes()
    expect(refreshes).toHaveLength(1)
    expect(((await (await refreshes[0]!.response)!.json()) as { rotated: boolean }).rotated).toBe(true)
    await expectOnDashboard(page)
    await expectNo401(requests.all())
    test.info().annotations.push({ type: 'browser clock ahead (ms) / warned after (ms)', description: `${skew} / ${warnedAfter}` })
  })
})
