// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ToastProvider } from '@/components/ui/toast'
import { SessionClientProvider } from '@/components/session/session-client-provider'
import { createSessionClient, type SessionClient } from '@/lib/client/session-client'
import { installFakeApi, json, sessionInfo } from '@/lib/client/testing/fake-api'
import { PasswordForm } from './password-form'

const validationFailed = (errors: Record<string, string[]>) =>
  new Response(JSON.stringify({ type: '/errors/VALIDATION_FAILED', title: 'Invalid', status: 400, code: 'VALIDATION_FAILED', errors }), {
    status: 400,
    headers: { 'Content-Type': 'application/problem+json' },
  })

// A fresh client per test (a tab), on the real localStorage.
let client: SessionClient
const getSessionClock = () => client.clock.get()

async function fill(current: string, next: string, confirm = next) {
  const user = userEvent.setup()
  render(
    <SessionClientProvider client={client}>
      <ToastProvider>
        <PasswordForm />
      </ToastProvider>
    </SessionClientProvider>,
  )
  await user.type(screen.getByLabelText('Current password'), current)
  await user.type(screen.getByLabelText('New password'), next)
  await user.type(screen.getByLabelText('Confirm new password'), confirm)
  await user.click(screen.getByRole('button', { name: 'Change password' }))
}

beforeEach(() => {
  localStorage.clear()
  vi.stubGlobal('BroadcastChannel', undefined)
  client = createSessionClient()
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('SPEC §7 password change: friendly field errors', () => {
  it('a short or mismatched new password is caught before any request', async () => {
    const api = installFakeApi(() => json(200, {}))
    await fill('old-password-1', 'short', 'different')
    expect(api.calls).toHaveLength(0)
    expect(screen.getByText('Use at least 10 characters')).toBeTruthy()
    expect(screen.getByText('The two new passwords don’t match')).toBeTruthy()
    expect(document.activeElement).toBe(screen.getByLabelText('New password'))
  })

  it('a wrong current password is shown on that field, and nobody is signed out', async () => {
    installFakeApi(() => validationFailed({ currentPassword: ['The current password is wrong'] }))
    await fill('not-my-password', 'new-password-123')
    const field = await screen.findByLabelText('Current password')
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'))
    expect(screen.getByText('The current password is wrong')).toBeTruthy()
    expect(document.body.textContent).not.toContain('VALIDATION_FAILED')
  })
})

describe('SPEC §7 password change: this session rotated, others signed out', () => {
  it('shows the toast and moves the session clock to the rotated token', async () => {
    const rotated = sessionInfo({ id: 'sid-1', accessInMs: 20 * 60_000 })
    const api = installFakeApi(() => json(200, { user: { id: 'u1' }, session: rotated }))
    await fill('old-password-1', 'new-password-123')
    expect(await screen.findByText('Password changed. Other devices were signed out.')).toBeTruthy()
    expect(api.calls[0]).toMatchObject({ method: 'POST', path: '/api/auth/password', body: { currentPassword: 'old-password-1', newPassword: 'new-password-123' } })
    expect(getSessionClock()?.accessExpiresAt).toBe(Date.parse(rotated.accessTokenExpiresAt))
    expect((screen.getByLabelText('Current password') as HTMLInputElement).value).toBe('')
  })
})
