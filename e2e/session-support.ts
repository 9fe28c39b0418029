import { expect, type BrowserContext, type Page, type Request, type Response } from '@playwright/test'
import { DEMO_USER, signInWithForm } from './support'

// Helpers for e2e/session-experience.spec.ts: the session lifetimes of playwright.config.ts,
// request counting, simulated input and reading the shared countdown.

/** AUTH_ACCESS_TTL in playwright.config.ts, in ms. */
export const ACCESS_TTL_MS = 20_000

export const REFRESH_PATH = '/api/auth/refresh'

export type SeenRequest = { at: number; method: string; path: string; response: Promise<Response | null>; status: Promise<number | null> }

/**
 * Records every request of a context (all its tabs, present and future) with the time it left.
 * The status resolves when the answer arrives (null when the request failed or was aborted).
 */
export function recordRequests(context: BrowserContext) {
  const seen: SeenRequest[] = []
  const onRequest = (request: Request) => {
    const url = new URL(request.url())
    const response = request.response().catch(() => null)
    seen.push({ at: Date.now(), method: request.method(), path: url.pathname, response, status: response.then((r) => r?.status() ?? null) })
  }
  context.on('request', onRequest)
  return {
    all: () => [...seen],
    refreshes: () => seen.filter((r) => r.method === 'POST' && r.path === REFRESH_PATH),
    to: (method: string, path: string) => seen.filter((r) => r.method === method && r.path === path),
    stop: () => context.off('request', onRequest),
  }
}

/**
 * Signs in through the form (on `page`, which has to be the first page of its context to keep
 * the context's requests simple) and returns the moment the login answer arrived: the access
 * token's lifetime starts about then. For tests of the form; others use `signedInAs` (./support.ts).
 */
export async function signInTimed(page: Page, { query = '', rememberMe = false, user = DEMO_USER } = {}): Promise<number> {
  const answer = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/auth/login')
  await signInWithForm(page, user, { query, rememberMe })
  expect((await answer).status()).toBe(200)
  return Date.now()
}

/** Opens another tab of the same browser (context) on a page of the app. */
export async function openTab(context: BrowserContext, path = '/dashboard'): Promise<Page> {
  const page = await context.newPage()
  await page.goto(path)
  return page
}

/** The header countdown ("Session expires in 0:17") in seconds; NaN while it shows something else. */
export async function countdownSeconds(page: Page): Promise<number> {
  const text = (await page.getByRole('timer').textContent()) ?? ''
  const match = /Session expires in (\d+):(\d\d)/.exec(text)
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN
}

/** Reads every tab's countdown at (nearly) the same moment. */
export async function countdowns(pages: Page[]): Promise<number[]> {
  return Promise.all(pages.map(countdownSeconds))
}

/**
 * The end each tab's countdown points to (epoch ms): the moment it read plus the seconds it
 * shows. Independent of how long the reads take, which on a loaded machine can be seconds.
 */
export async function countdownEnds(pages: Page[]): Promise<number[]> {
  return Promise.all(
    pages.map((page) =>
      page.evaluate(() => {
        const match = /Session expires in (\d+):(\d\d)/.exec(document.querySelector('[role="timer"]')?.textContent ?? '')
        return match ? Date.now() + (Number(match[1]) * 60 + Number(match[2])) * 1000 : Number.NaN
      }),
    ),
  )
}

let inputStep = 0

/** One bit of input, as a person would make it: a mouse move, or a key press (Shift: changes nothing). */
export async function simulateInput(page: Page) {
  inputStep++
  if (inputStep % 3 === 0) {
    await page.keyboard.press('Shift')
  } else {
    const x = 200 + ((inputStep * 37) % 400)
    const y = 200 + ((inputStep * 53) % 300)
    await page.mouse.move(x, y, { steps: 3 })
  }
}

/**
 * Remembers in the page whether an alert dialog was ever shown, whatever happens between two
 * looks: a MutationObserver installed before the app's scripts on every load of the page.
 */
export async function watchForAlertDialogs(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __alertDialogsSeen: number }
    w.__alertDialogsSeen = 0
    new MutationObserver(() => {
      if (document.querySelector('[role="alertdialog"]')) w.__alertDialogsSeen++
    }).observe(document, { childList: true, subtree: true })
  })
}

export async function alertDialogsSeen(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __alertDialogsSeen?: number }).__alertDialogsSeen ?? -1)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Gaps between consecutive times, in ms. */
export function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!)
}
