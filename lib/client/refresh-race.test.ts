// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createBrowserTabs } from './testing/fake-tabs'
import { installFakeApi, json, sessionInfo } from './testing/fake-api'

// SPEC §9 / issue: "Exactly one refresh request per access lifetime per browser, any number of
// tabs". Web Locks queue the tabs' refreshes, but Chromium hands a tab the lock before the
// first tab's localStorage write (and its BroadcastChannel message) has reached it: the news
// must come with the lock (decision 017).

const SECOND = 1000
const MIN = 60 * SECOND
const START = Date.parse('2030-01-01T09:00:00Z')
/** Later than the whole refresh takes: the second tab learns nothing through storage in time. */
const LATE_MS = 2 * SECOND

function browserWithSession({ tabs = 2, accessInMs = 15 * MIN } = {}) {
  const browser = createBrowserTabs({ storageDelayMs: LATE_MS, channelDelayMs: LATE_MS })
  const clients = Array.from({ length: tabs }, () => browser.openTab())
  // Every tab already knows the sign-in (recorded long before the race).
  for (const client of clients) client.clock.record(sessionInfo({ accessInMs, now: START }), START)
  let rotations = 0
  const api = installFakeApi(async ({ path }) => {
    if (path !== '/api/auth/refresh') return new Response(null, { status: 204 })
    await new Promise((resolve) => setTimeout(resolve, 50)) // the round trip
    rotations += 1
    return json(200, { rotated: true, session: sessionInfo({ id: 'session-1', now: Date.now(), accessInMs: 15 * MIN }) })
  })
  return { clients, refreshes: () => api.count('POST', '/api/auth/refresh'), rotations: () => rotations }
}

beforeEach(() => {
  vi.useFakeTimers({ now: START + 14 * MIN })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('SPEC §9 one refresh per access lifetime per browser, whatever the tabs see in storage', () => {
  it('two tabs deciding at the same moment: one request; the second tab skips and adopts the new token at once', async () => {
    const { clients, refreshes } = browserWithSession()
    const [first, second] = clients as [(typeof clients)[0], (typeof clients)[0]]
    const since = Date.now()
    const both = Promise.all([first.refresh({ since }), second.refresh({ since })])
    await vi.advanceTimersByTimeAsync(200) // the refresh is done; storage has not caught up yet
    const [a, b] = await both

    expect(refreshes()).toBe(1)
    expect(a).toMatchObject({ ok: true, rotated: true, skipped: false })
    expect(b).toMatchObject({ ok: true, skipped: true })
    // Without waiting for the storage event: the second tab counts down from the new token too.
    expect(second.clock.get()?.accessExpiresAt).toBe(first.clock.get()?.accessExpiresAt)
    expect(second.clock.get()!.accessExpiresAt).toBeGreaterThan(START + 15 * MIN)
  })

  it('five tabs: still one request', async () => {
    const { clients, refreshes } = browserWithSession({ tabs: 5 })
    const since = Date.now()
    const all = Promise.all(clients.map((client) => client.refresh({ since })))
    await vi.advanceTimersByTimeAsync(500)
    const outcomes = await all
    expect(refreshes()).toBe(1)
    expect(outcomes.filter((outcome) => outcome.ok && outcome.skipped)).toHaveLength(4)
  })

  it('a tab whose token failed after that refresh still refreshes (the news is older than its request)', async () => {
    const { clients, refreshes } = browserWithSession()
    const [first, second] = clients as [(typeof clients)[0], (typeof clients)[0]]
    await Promise.all([first.refresh({ since: Date.now() }), vi.advanceTimersByTimeAsync(100)])
    const pending = second.refresh({ since: Date.now() + 1 })
    await vi.advanceTimersByTimeAsync(100)
    await expect(pending).resolves.toMatchObject({ ok: true, skipped: false })
    expect(refreshes()).toBe(2)
  })

  it('two keepers reaching the proactive moment together: one request', async () => {
    vi.setSystemTime(START)
    const { clients, refreshes } = browserWithSession()
    // The person was active in both tabs since the sign-in.
    for (const client of clients) client.activity.record(START + MIN, START)
    const stops = clients.map((client) => client.keeper.start({ proactiveMs: MIN, warningMs: 2 * MIN }))
    await vi.advanceTimersByTimeAsync(14 * MIN + 500)
    expect(refreshes()).toBe(1)
    // Storage catches up; nothing asks again.
    await vi.advanceTimersByTimeAsync(LATE_MS * 2)
    expect(refreshes()).toBe(1)
    for (const stop of stops) stop()
  })
})
