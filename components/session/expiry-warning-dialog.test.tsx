// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
// jsdom has no showModal(): the dialogs run on a stand-in.
import '@/components/ui/testing/dialog-polyfill'
import { ToastProvider } from '@/components/ui/toast'
import { createSessionClient } from '@/lib/client/session-client'
import { installFakeApi, json, sessionInfo } from '@/lib/client/testing/fake-api'
import { ExpiryWarningDialog } from './expiry-warning-dialog'
import { SessionClientProvider } from './session-client-provider'

// A fresh client per test: its signed-out flag and warning store start empty.
async function renderWarning(warning: { canExtend: boolean; secondsLeftAtOpen?: number }, { rotated = true } = {}) {
  const client = createSessionClient()
  const { keeper, events, clock } = client
  clock.record(sessionInfo({ accessInMs: 2 * 60_000 }), Date.now() - 13 * 60_000)
  const api = installFakeApi(({ path }) => (path === '/api/auth/refresh' ? json(200, { rotated, session: sessionInfo() }) : new Response(null, { status: 204 })))
  const signedOut: string[] = []
  events.onSignedOut((reason) => signedOut.push(reason))
  render(
    <SessionClientProvider client={client}>
      <ToastProvider>
        <ExpiryWarningDialog />
      </ToastProvider>
    </SessionClientProvider>,
  )
  act(() => keeper.expiryWarning.set({ deadline: Date.now() + 120_000, secondsLeftAtOpen: 120, ...warning }))
  return { api, signedOut, keeper }
}

beforeEach(() => {
  localStorage.clear()
  vi.stubGlobal('BroadcastChannel', undefined)
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('SPEC §9 idle warning: "Your session will expire in 2 minutes. Stay signed in?"', () => {
  it('asks the question in an alertdialog with focus on [Stay signed in]', async () => {
    await renderWarning({ canExtend: true })
    const dialog = screen.getByRole('alertdialog')
    expect(dialog.textContent).toContain('Your session will expire in 2 minutes. Stay signed in?')
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stay signed in' }))
  })

  it('[Stay signed in] refreshes, closes the dialog and toasts "Session extended"', async () => {
    const { api } = await renderWarning({ canExtend: true })
    await userEvent.setup().click(screen.getByRole('button', { name: 'Stay signed in' }))
    expect(api.count('POST', '/api/auth/refresh')).toBe(1)
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(screen.getByRole('status').textContent).toContain('Session extended')
  })

  it('a "not yet due" answer closes the dialog without claiming an extension', async () => {
    const { api } = await renderWarning({ canExtend: true }, { rotated: false })
    await userEvent.setup().click(screen.getByRole('button', { name: 'Stay signed in' }))
    expect(api.count('POST', '/api/auth/refresh')).toBe(1)
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(screen.getByRole('status').textContent).toContain('You’re still signed in')
    expect(screen.getByRole('status').textContent).not.toContain('Session extended')
  })

  it('Escape means stay', async () => {
    const { api } = await renderWarning({ canExtend: true })
    await userEvent.setup().keyboard('{Escape}')
    expect(api.count('POST', '/api/auth/refresh')).toBe(1)
    expect(screen.queryByRole('alertdialog')).toBeNull()
  })

  it('[Log out] ends the session', async () => {
    const { api, signedOut } = await renderWarning({ canExtend: true })
    await userEvent.setup().click(screen.getByRole('button', { name: 'Log out' }))
    expect(api.count('POST', '/api/auth/logout')).toBe(1)
    expect(signedOut).toEqual(['user'])
  })

  it('closes when another tab answered (the keeper clears the warning)', async () => {
    const { keeper } = await renderWarning({ canExtend: true })
    act(() => keeper.expiryWarning.set(null))
    expect(screen.queryByRole('alertdialog')).toBeNull()
  })
})

describe('SPEC §9 near the absolute end the dialog says it cannot be extended', () => {
  it('offers to sign in again, and Escape lets the person continue for now', async () => {
    const { api } = await renderWarning({ canExtend: false })
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    const dialog = screen.getByRole('alertdialog')
    expect(dialog.textContent).toContain('can’t be extended')
    expect(screen.queryByRole('button', { name: 'Stay signed in' })).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sign in again' }))

    await userEvent.setup().keyboard('{Escape}')
    expect(api.count('POST', '/api/auth/refresh')).toBe(0)
    const sent = setItem.mock.calls.filter(([key]) => key === 'njjwt.tab-message').map(([, value]) => JSON.parse(value).message)
    expect(sent).toEqual([{ type: 'warning-dismissed', expiresAt: expect.any(Number) }])
  })

  it('[Sign in again] signs out so the login page can bring the person back here', async () => {
    const { signedOut } = await renderWarning({ canExtend: false })
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in again' }))
    expect(signedOut).toEqual(['sign-in-again'])
  })
})
