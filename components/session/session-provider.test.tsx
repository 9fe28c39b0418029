// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LeavePage } from '@/lib/client/leave-page'
import { createSessionClient } from '@/lib/client/session-client'
import type { TabMessage } from '@/lib/client/tab-channel'
import { sessionInfo } from '@/lib/client/testing/fake-api'
import { SessionClientProvider } from './session-client-provider'
import { SessionProvider } from './session-provider'

// A fresh client per test. jsdom cannot navigate: record where the provider would send the person instead.
async function renderProvider() {
  const leavePage = vi.fn<LeavePage>()
  render(
    <SessionClientProvider client={createSessionClient({ leavePage })}>
      <SessionProvider initialSession={sessionInfo()} proactiveRefreshSeconds={60} warningBeforeSeconds={120}>
        <p>Dashboard</p>
      </SessionProvider>
    </SessionClientProvider>,
  )
  return { leavePage }
}

const fromOtherTab = (message: TabMessage) =>
  act(() => {
    window.dispatchEvent(new StorageEvent('storage', { key: 'njjwt.tab-message', newValue: JSON.stringify({ message }) }))
  })

beforeEach(() => {
  localStorage.clear()
  vi.stubGlobal('BroadcastChannel', undefined)
  vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })))
  window.history.pushState({}, '', '/dashboard?tab=claims')
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('SPEC §9 across tabs: what a sign-out elsewhere does here', () => {
  it('a session revoked elsewhere: this tab stays, with a toast that says why and a way back in', async () => {
    const { leavePage } = await renderProvider()
    fromOtherTab({ type: 'signed-out', reason: 'SESSION_REVOKED' })

    const alert = screen.getByRole('alert')
    expect(alert.textContent).toContain('You were signed out')
    expect(alert.textContent).toContain('This session was ended')
    expect(alert.textContent).not.toContain('SESSION_REVOKED')
    expect(screen.getByRole('link', { name: 'Sign in again' }).getAttribute('href')).toBe('/login?next=%2Fdashboard%3Ftab%3Dclaims')
    expect(leavePage).not.toHaveBeenCalled()
  })

  it('[Sign out] in another tab takes this one to the login page', async () => {
    const { leavePage } = await renderProvider()
    fromOtherTab({ type: 'signed-out', reason: 'user' })
    expect(leavePage).toHaveBeenCalledWith('/login')
  })

  it('expiry goes to /login?next=<this page>&reason=expired', async () => {
    const { leavePage } = await renderProvider()
    fromOtherTab({ type: 'signed-out', reason: 'expired' })
    expect(leavePage).toHaveBeenCalledWith('/login?next=%2Fdashboard%3Ftab%3Dclaims&reason=expired')
  })

  it('never toasts for a silent refresh', async () => {
    await renderProvider()
    fromOtherTab({ type: 'refreshed', session: sessionInfo({ accessInMs: 30 * 60_000 }) })
    expect(screen.getByRole('alert').textContent).toBe('')
    expect(screen.getByRole('status').textContent).toBe('')
  })
})

describe('SPEC §9 across tabs: sign-in', () => {
  it('a page rendered for a new session tells the other tabs', async () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    await renderProvider()
    const sent = setItem.mock.calls.filter(([key]) => key === 'njjwt.tab-message').map(([, value]) => JSON.parse(value).message)
    expect(sent).toEqual([{ type: 'signed-in', session: expect.objectContaining({ id: 'session-1' }) }])
  })
})
