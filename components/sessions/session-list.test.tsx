// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { SWRConfig } from 'swr'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
// jsdom has no showModal(): the dialogs run on a stand-in.
import '@/components/ui/testing/dialog-polyfill'
import { ToastProvider } from '@/components/ui/toast'
import { SessionClientProvider } from '@/components/session/session-client-provider'
import { createSessionClient, type SessionClient } from '@/lib/client/session-client'
import { installFakeApi, json } from '@/lib/client/testing/fake-api'
import type { DeviceSession } from '@/lib/shared/api-types'
import { SessionList } from './session-list'

function device(overrides: Partial<DeviceSession>): DeviceSession {
  return {
    id: 'this-one',
    current: true,
    deviceLabel: 'Chrome on Linux',
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    createdAt: '2026-01-01T10:00:00.000Z',
    lastUsedAt: '2026-01-01T11:00:00.000Z',
    expiresAt: '2026-01-02T10:00:00.000Z',
    flags: [],
    ...overrides,
  }
}

// A fresh client per test (a tab).
let client: SessionClient

function renderList() {
  // A fresh SWR cache per test.
  render(
    <SessionClientProvider client={client}>
      <SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0 }}>
        <ToastProvider>
          <SessionList />
        </ToastProvider>
      </SWRConfig>
    </SessionClientProvider>,
  )
}

let sessions: DeviceSession[]
let api: ReturnType<typeof installFakeApi>

beforeEach(() => {
  localStorage.clear()
  vi.stubGlobal('BroadcastChannel', undefined)
  client = createSessionClient()
  sessions = [device({}), device({ id: 'phone', current: false, deviceLabel: 'Safari on iPhone', flags: ['ip_changed', 'user_agent_changed'] })]
  api = installFakeApi(({ method, path }) => {
    if (method === 'GET' && path === '/api/auth/sessions') return json(200, { sessions })
    if (method === 'DELETE' && path.startsWith('/api/auth/sessions/')) {
      const id = path.split('/').at(-1)
      sessions = sessions.filter((session) => session.id !== id)
      return json(200, { revoked: true, current: id === 'this-one' })
    }
    if (method === 'POST' && path === '/api/auth/sessions/revoke-others') {
      const revoked = sessions.filter((session) => !session.current).length
      sessions = sessions.filter((session) => session.current)
      return json(200, { revoked })
    }
    if (method === 'POST' && path === '/api/auth/logout') return new Response(null, { status: 204 })
    return json(404, {})
  })
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('SPEC §9 /sessions lists devices, this one marked, flags in plain words', () => {
  it('shows each device with its label, IP and badges', async () => {
    renderList()
    const phone = await screen.findByRole('article', { name: 'Safari on iPhone' })
    expect(within(phone).getByText('New network')).toBeTruthy()
    expect(within(phone).getByText('Browser changed')).toBeTruthy()
    expect(phone.textContent).not.toContain('ip_changed')
    const current = screen.getByRole('article', { name: 'Chrome on Linux (this device)' })
    expect(within(current).getByText('This device')).toBeTruthy()
    expect(within(current).getByText('203.0.113.7')).toBeTruthy()
    expect(screen.getByText('2 devices signed in.').getAttribute('role')).toBe('status')
  })
})

describe('SPEC §9 /sessions revokes with confirmation', () => {
  it('signs another device out only after [Sign out] in the dialog, then refreshes the list', async () => {
    const user = userEvent.setup()
    renderList()
    await user.click(await screen.findByRole('button', { name: 'Sign out Safari on iPhone' }))
    const dialog = screen.getByRole('alertdialog', { name: 'Sign out Safari on iPhone?' })
    expect(api.count('DELETE', '/api/auth/sessions/phone')).toBe(0)
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }))

    await user.click(within(dialog).getByRole('button', { name: 'Sign out' }))
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Safari on iPhone' })).toBeNull())
    expect(api.count('DELETE', '/api/auth/sessions/phone')).toBe(1)
    expect(screen.getByText('Device signed out')).toBeTruthy()
    expect(screen.queryByRole('alertdialog')).toBeNull()
  })

  it('Escape cancels: nothing is revoked', async () => {
    const user = userEvent.setup()
    renderList()
    await user.click(await screen.findByRole('button', { name: 'Sign out all other devices' }))
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(api.count('POST', '/api/auth/sessions/revoke-others')).toBe(0)
  })

  it('"Sign out all other devices" leaves only this one', async () => {
    const user = userEvent.setup()
    renderList()
    await user.click(await screen.findByRole('button', { name: 'Sign out all other devices' }))
    await user.click(within(screen.getByRole('alertdialog', { name: 'Sign out all other devices?' })).getByRole('button', { name: 'Sign out' }))
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(1))
    expect(screen.getByText('Other devices signed out')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Sign out all other devices' })).toBeNull()
  })

  it('revoking this device signs this tab out (logout, then the signed-out event)', async () => {
    const { onSignedOut } = client.events
    const signedOut = vi.fn()
    const stop = onSignedOut(signedOut)
    const user = userEvent.setup()
    renderList()
    await user.click(await screen.findByRole('button', { name: 'Sign out this device' }))
    await user.click(within(screen.getByRole('alertdialog', { name: 'Sign out this device?' })).getByRole('button', { name: 'Sign out' }))
    await waitFor(() => expect(signedOut).toHaveBeenCalledWith('user'))
    expect(api.count('DELETE', '/api/auth/sessions/this-one')).toBe(1)
    expect(api.count('POST', '/api/auth/logout')).toBe(1)
    stop()
  })
})
