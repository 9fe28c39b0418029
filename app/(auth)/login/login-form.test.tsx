// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi, type Mock, type MockInstance } from 'vitest'
import { SessionClientProvider } from '@/components/session/session-client-provider'
import type { LeavePage } from '@/lib/client/leave-page'
import { createSessionClient, type SessionClient } from '@/lib/client/session-client'
import type { SessionEvents } from '@/lib/client/session-events'
import { installFakeApi, json, problem, sessionInfo } from '@/lib/client/testing/fake-api'
import { LoginForm } from './login-form'

// A fresh client per test. jsdom cannot navigate: the client records where the form would send
// the person instead; the spies see every announcement, the API client's own included.
let client: SessionClient
let leavePage: Mock<LeavePage>
let announceSignedIn: MockInstance<SessionEvents['announceSignedIn']>
let announceSignedOut: MockInstance<SessionEvents['announceSignedOut']>
const getSessionClock = () => client.clock.get()
const isSignedOut = () => client.events.isSignedOut()

const user = { id: 'u1', email: 'user@example.com', name: null, role: 'user', permissions: ['profile:read'] }

async function signIn({ email = 'user@example.com', password = 'user-password-1', rememberMe = false } = {}) {
  const person = userEvent.setup()
  render(
    <SessionClientProvider client={client}>
      <LoginForm next="/sessions?tab=all" />
    </SessionClientProvider>,
  )
  await person.type(screen.getByLabelText('Email'), email)
  await person.type(screen.getByLabelText('Password'), password)
  if (rememberMe) await person.click(screen.getByLabelText('Remember me'))
  await person.click(screen.getByRole('button', { name: 'Sign in' }))
}

const alertText = () => screen.findByRole('alert').then((alert) => alert.textContent)

beforeEach(() => {
  localStorage.clear()
  vi.stubGlobal('BroadcastChannel', undefined)
  leavePage = vi.fn<LeavePage>()
  client = createSessionClient({ leavePage })
  announceSignedIn = vi.spyOn(client.events, 'announceSignedIn')
  announceSignedOut = vi.spyOn(client.events, 'announceSignedOut')
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('SPEC §9 /login: signs in, tells every tab, returns to `next`', () => {
  it('announces the session before the full page load to `next`', async () => {
    const session = sessionInfo({ id: 'sid-new' })
    const api = installFakeApi(() => json(200, { user, session }))
    await signIn({ rememberMe: true })
    await waitFor(() => expect(leavePage).toHaveBeenCalledWith('/sessions?tab=all'))
    expect(api.calls).toEqual([{ method: 'POST', path: '/api/auth/login', body: { email: 'user@example.com', password: 'user-password-1', rememberMe: true } }])
    expect(announceSignedIn).toHaveBeenCalledWith(session)
    expect(vi.mocked(announceSignedIn).mock.invocationCallOrder[0]).toBeLessThan(vi.mocked(leavePage).mock.invocationCallOrder[0]!)
    expect(getSessionClock()?.sessionId).toBe('sid-new')
    expect(screen.getByRole('button', { name: 'Signing in…' }).getAttribute('aria-disabled')).toBe('true')
  })
})

describe('SPEC §7 /login failures: friendly words, the keyboard where the fix is', () => {
  it('a wrong password (401 INVALID_CREDENTIALS) is explained, the password selected, and nobody signed out', async () => {
    const api = installFakeApi(() => problem(401, 'INVALID_CREDENTIALS'))
    await signIn({ password: 'not-my-password' })
    expect(await alertText()).toContain('That email and password don’t match an account.')
    const password = screen.getByLabelText('Password') as HTMLInputElement
    await waitFor(() => expect(document.activeElement).toBe(password))
    expect([password.selectionStart, password.selectionEnd]).toEqual([0, 'not-my-password'.length])
    expect(announceSignedOut).not.toHaveBeenCalled()
    expect(isSignedOut()).toBe(false)
    // Not a session problem: no refresh attempt, no navigation, the button works again.
    expect(api.calls.map((call) => call.path)).toEqual(['/api/auth/login'])
    expect(leavePage).not.toHaveBeenCalled()
    expect(screen.getByRole('button', { name: 'Sign in' }).getAttribute('aria-disabled')).toBe('false')
    expect(document.body.textContent).not.toContain('INVALID_CREDENTIALS')
  })

  it('400 field errors show on their fields, and the first one gets the keyboard', async () => {
    installFakeApi(() =>
      json(400, { type: '/errors/VALIDATION_FAILED', title: 'Invalid', status: 400, code: 'VALIDATION_FAILED', errors: { email: ['Enter a valid email address'] } }),
    )
    await signIn({ email: 'user@example' })
    const email = screen.getByLabelText('Email')
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'))
    expect(document.getElementById(email.getAttribute('aria-describedby')!)?.textContent).toBe('Enter a valid email address')
    expect(document.activeElement).toBe(email)
    expect(await alertText()).toContain('Some details need fixing.')
  })

  it('429 says how long to wait, from Retry-After', async () => {
    installFakeApi(() => problem(429, 'RATE_LIMITED', { 'Retry-After': '600' }))
    await signIn()
    expect(await alertText()).toContain('Too many attempts. Try again in 10 minutes.')
    expect(leavePage).not.toHaveBeenCalled()
  })

  it('no answer at all says to check the connection', async () => {
    const api = installFakeApi(() => Promise.reject(new TypeError('Failed to fetch')))
    await signIn()
    expect(await alertText()).toContain('We couldn’t reach the server. Check your connection and try again.')
    // A sign-in is not repeated behind the person's back (POST: no automatic retry).
    expect(api.calls).toHaveLength(1)
    expect(announceSignedOut).not.toHaveBeenCalled()
  })
})
