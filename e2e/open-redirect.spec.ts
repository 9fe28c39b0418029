import { DEMO_USER, expect, expectOnDashboard, signInWithForm, test } from './support'

// Issue 8 item 2 (CWE-601, SPEC §9 "returns to `next`: same-origin paths only"). `next` passed the
// first-character check and the URL parser then removed the dot segment: `/.//evil.example`
// became `//evil.example`, where the login form and the tab following the sign-in went.
test('signing in with an open-redirect `next` lands on this site, in this tab and in the one following it', async ({ page, context, baseURL }) => {
  // No request leaves 127.0.0.1: an attempt is recorded and refused.
  const offSite: string[] = []
  await context.route(
    (url) => url.origin !== new URL(baseURL!).origin,
    (route) => {
      offSite.push(route.request().url())
      return route.abort()
    },
  )
  const waiting = await context.newPage()
  await waiting.goto(`/login?next=${encodeURIComponent('/%2e%2e//evil.example')}`)
  await expect(waiting.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
  // Hydrated (the theme select waits for it), so the page listens to other tabs.
  await expect(waiting.getByRole('combobox', { name: 'Theme' })).toBeEnabled()

  await signInWithForm(page, DEMO_USER, { query: `?next=${encodeURIComponent('/.//evil.example')}` })
  await expectOnDashboard(page)
  await expectOnDashboard(waiting)
  for (const tab of [page, waiting]) expect(new URL(tab.url()).origin).toBe(new URL(baseURL!).origin)
  expect(offSite).toEqual([])
})
