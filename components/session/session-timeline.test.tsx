// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { SWRConfig } from 'swr'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ToastProvider } from '@/components/ui/toast'
import { createSessionClient, type SessionClient } from '@/lib/client/session-client'
import { CLOCK_KEY } from '@/lib/client/session-clock'
import type { SessionInfo, TimelineEntry } from '@/lib/shared/api-types'
import { installFakeApi, json, sessionInfo } from '@/lib/client/testing/fake-api'
import { SessionClientProvider } from './session-client-provider'
import { SessionTimeline } from './session-timeline'

const NOW = Date.parse('2030-01-01T09:30:00Z')
const ACCESS_TTL = 15 * 60_000
const SESSION = 'session-1'

const entry = (id: number, event: TimelineEntry['event'], at: string, jti: string | null): TimelineEntry => ({ id: String(id), at, event, jti, ip: '203.0.113.7' })
const SIGNED_IN = entry(1, 'login_succeeded', '2030-01-01T09:00:00.000Z', '0190e3a0-0000-7000-8000-00000000aaaa')
const REFRESHED = entry(4, 'token_refreshed', '2030-01-01T09:15:00.000Z', '0190e3a0-0000-7000-8000-00000000bbbb')
const NEXT = entry(7, 'token_refreshed', '2030-01-01T09:30:00.000Z', '0190e3a0-0000-7000-8000-00000000cccc')

/** The page was rendered for the access token issued at 09:15, the newest one on the server's list. */
const coverage = { sessionId: SESSION, accessExpiresAt: Date.parse(REFRESHED.at) + ACCESS_TTL }
const initial = { events: [REFRESHED, SIGNED_IN] }

function timeline({ cache = new Map(), list = initial, covers = coverage } = {}) {
  // A fresh SWR cache per render unless one is passed (SWR's cache outlives a page in the app).
  return (
    <SessionClientProvider client={client}>
      <SWRConfig value={{ provider: () => cache, dedupingInterval: 0 }}>
        <ToastProvider>
          <SessionTimeline initial={list} coverage={covers} />
        </ToastProvider>
      </SWRConfig>
    </SessionClientProvider>
  )
}

/** The clock as a refresh writes it: the new access token lives ACCESS_TTL from `issuedAt`. */
const clockAfterRefresh = (issuedAt: number, id = SESSION) => sessionInfo({ id, now: issuedAt, accessInMs: ACCESS_TTL })

let server: TimelineEntry[]
// A fresh client per test (a tab), on the real localStorage.
let client: SessionClient
const recordSession = (session: SessionInfo) => client.clock.record(session)
const clearSessionClock = () => client.clock.clear()
let api: ReturnType<typeof installFakeApi>

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] })
  localStorage.clear()
  client = createSessionClient()
  vi.stubGlobal('BroadcastChannel', undefined)
  server = [NEXT, REFRESHED, SIGNED_IN]
  api = installFakeApi(({ method, path }) => (method === 'GET' && path === '/api/auth/session/timeline' ? json(200, { events: server }) : json(404, {})))
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

const items = () => within(screen.getByRole('list', { name: 'Token timeline, newest first' })).getAllByRole('listitem')
const toasts = () => screen.getAllByRole('alert').concat(screen.getAllByRole('status')).map((region) => region.textContent).join('')

describe('SPEC §9 dashboard token timeline', () => {
  it('renders the server’s list, newest first, without asking the API again', async () => {
    render(timeline())
    // SWR would revalidate stale data on the next animation frame.
    await act(() => new Promise((resolve) => setTimeout(resolve, 100)))
    const [first, second] = items()
    expect(first!.textContent).toContain('Refreshed — new access token')
    expect(first!.textContent).toContain('…0000bbbb')
    expect(first!.textContent).toContain('from 203.0.113.7')
    expect(within(first!).getByText('…0000bbbb').getAttribute('title')).toBe(REFRESHED.jti)
    expect(first!.querySelector('time')!.getAttribute('dateTime')).toBe(REFRESHED.at)
    expect(second!.textContent).toContain('Signed in')
    expect(items()).toHaveLength(2)
    expect(api.calls).toEqual([])
  })

  it('a refresh in this tab (the shared clock moves) brings the new entry; no refresh request, no toast', async () => {
    render(timeline())
    act(() => void recordSession(clockAfterRefresh(Date.parse(NEXT.at))))
    await waitFor(() => expect(items()).toHaveLength(3))
    expect(items()[0]!.textContent).toContain('…0000cccc')
    expect(api.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET /api/auth/session/timeline'])
    expect(toasts()).toBe('')
  })

  it('a refresh in another tab (the storage event) does the same', async () => {
    render(timeline())
    const clock = { sessionId: SESSION, accessExpiresAt: Date.parse(NEXT.at) + ACCESS_TTL, expiresAt: NOW + 3_600_000, refreshedAt: NOW, rememberMe: false }
    act(() => {
      localStorage.setItem(CLOCK_KEY, JSON.stringify(clock))
      window.dispatchEvent(new StorageEvent('storage', { key: CLOCK_KEY, newValue: JSON.stringify(clock) }))
    })
    await waitFor(() => expect(items()).toHaveLength(3))
    expect(api.count('GET', '/api/auth/session/timeline')).toBe(1)
  })

  it('asks once per new access token, not once per clock write', async () => {
    render(timeline())
    const refreshedAt = Date.parse(NEXT.at)
    act(() => void recordSession(clockAfterRefresh(refreshedAt)))
    await waitFor(() => expect(items()).toHaveLength(3))
    // Another tab announcing the same token, and the same session seen again: nothing new.
    act(() => {
      window.dispatchEvent(new StorageEvent('storage', { key: CLOCK_KEY }))
      recordSession(clockAfterRefresh(refreshedAt))
    })
    expect(api.count('GET', '/api/auth/session/timeline')).toBe(1)
  })

  it('stays quiet for clock writes that bring no new token of this session, and never polls', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setTimeout', 'setInterval'] })
    render(timeline())
    act(() => {
      // The provider announcing the very token this page was rendered with.
      recordSession(sessionInfo({ id: SESSION, now: Date.parse(REFRESHED.at), accessInMs: ACCESS_TTL }))
      // Another session (another tab signed in again: the provider reloads the page).
      recordSession(clockAfterRefresh(NOW, 'session-2'))
      // Signed out everywhere.
      clearSessionClock()
    })
    // A newer token that is already dead by the time this tab hears of it: asking would refresh.
    vi.setSystemTime(NOW + 20 * 60_000)
    act(() => void recordSession(sessionInfo({ id: SESSION, now: NOW, accessInMs: 19 * 60_000 })))
    act(() => void vi.advanceTimersByTime(60 * 60_000))
    expect(api.calls).toEqual([])
    expect(items()).toHaveLength(2)
  })

  it('coming back to the page, the server’s newer list wins over what SWR cached last time', async () => {
    const cache = new Map()
    const first = render(timeline({ cache }))
    act(() => void recordSession(clockAfterRefresh(Date.parse(NEXT.at))))
    await waitFor(() => expect(items()).toHaveLength(3))
    first.unmount()
    // Away from the dashboard, one more refresh; the server renders it on the way back.
    const LATER = entry(10, 'token_refreshed', '2030-01-01T09:45:00.000Z', '0190e3a0-0000-7000-8000-00000000dddd')
    render(timeline({ cache, list: { events: [LATER, NEXT, REFRESHED, SIGNED_IN] }, covers: { sessionId: SESSION, accessExpiresAt: Date.parse(LATER.at) + ACCESS_TTL } }))
    expect(items()).toHaveLength(4)
    expect(items()[0]!.textContent).toContain('…0000dddd')
    expect(api.count('GET', '/api/auth/session/timeline')).toBe(1)
  })

  it('a failed update keeps the list and says so in the card, not in a toast', async () => {
    api.fetchMock.mockImplementation(async () => json(503, { type: '/errors/SERVICE_UNAVAILABLE', title: 'Service unavailable', status: 503, detail: 'Down', code: 'SERVICE_UNAVAILABLE' }))
    render(timeline())
    act(() => void recordSession(clockAfterRefresh(Date.parse(NEXT.at))))
    await screen.findByText(/Couldn’t update the timeline/)
    expect(items()).toHaveLength(2)
    expect(toasts()).toBe('')
  })

  it('the server renders UTC and hydrates without a mismatch, then shows the reader’s local time', async () => {
    const html = renderToString(timeline())
    expect(html).toContain('2030-01-01 09:15:00 UTC')
    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const recoverable = vi.fn()
    const root = hydrateRoot(container, timeline(), { onRecoverableError: recoverable })
    await act(async () => {})
    expect(recoverable).not.toHaveBeenCalled()
    const local = new Date(REFRESHED.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
    expect(container.querySelector('li time')!.textContent).toBe(local)
    act(() => root.unmount())
    container.remove()
  })
})
