// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi, type Mock, type MockInstance } from 'vitest'
import { SessionClientProvider } from '@/components/session/session-client-provider'
import type { LeavePage } from '@/lib/client/leave-page'
import { createSessionClient, type SessionClient } from '@/lib/client/session-client'
import type { SessionEvents } from '@/lib/client/session-events'
import { installFakeApi, json, problem, sessionInfo, type FakeHandler } from '@/lib/client/testing/fake-api'
import { RegisterForm } from './register-form'

// A fresh client per test. jsdom cannot navigate: the client records where the form would send
// the person instead; the spies see every announcement, the API client's own included.
let client: SessionClient
let leavePage: Mock<LeavePage>
let announceSignedIn: MockInstance<SessionEvents['announceSignedIn']>
let announceSignedOut: MockInstance<SessionEvents['announceSignedOut']>

const user = { id: 'u2', email: 'new@example.com', name: 'Ada', role: 'user', permissions: ['profile:read'] }

async function register(handler: FakeHandler, { name = 'Ada' } = {}) {
  const api = installFakeApi(handler)
  const person = userEvent.setup()
  render(
    <SessionClientProvider client={client}>
      <RegisterForm next="/dashboard" />
    </SessionClientProvider>,
  )
  await person.type(screen.getByLabelText('Email'), 'new@example.com')
  await person.type(screen.getByLabelText('Password'), 'new-password-1')
  if (name) await person.type(screen.getByLabelText(/^Name/), name)
  await person.click(screen.getByRole('button', { name: 'Create account' }))
  return api
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

describe('SPEC §7 register then sign in: the new account lands on the dashboard', () => {
  it('registers, signs in, announces the session to other tabs, then loads `next`', async () => {
    const session = sessionInfo({ id: 'sid-registered' })
    const api = await register(({ path }) => (path === '/api/auth/register' ? json(201, { user }) : json(200, { user, session })))
    await waitFor(() => expect(leavePage).toHaveBeenCalledWith('/dashboard'))
    expect(api.calls).toEqual([
      { method: 'POST', path: '/api/auth/register', body: { email: 'new@example.com', password: 'new-password-1', name: 'Ada' } },
      { method: 'POST', path: '/api/auth/login', body: { email: 'new@example.com', password: 'new-password-1', rememberMe: false } },
    ])
    expect(announceSignedIn).toHaveBeenCalledWith(session)
    expect(vi.mocked(announceSignedIn).mock.invocationCallOrder[0]).toBeLessThan(vi.mocked(leavePage).mock.invocationCallOrder[0]!)
  })

  it('a blank name is left out of the request', async () => {
    const api = await register(({ path }) => (path === '/api/auth/register' ? json(201, { user }) : json(200, { user, session: sessionInfo() })), { name: '' })
    await waitFor(() => expect(leavePage).toHaveBeenCalled())
    expect(api.calls[0]?.body).toEqual({ email: 'new@example.com', password: 'new-password-1' })
  })
})

describe('SPEC §7 register failures: friendly words, the keyboard where the fix is', () => {
  it('400 field errors show on their fields, and the first one gets the keyboard', async () => {
    await register(() =>
      json(400, { type: '/errors/VALIDATION_FAILED', title: 'Invalid', status: 400, code: 'VALIDATION_FAILED', errors: { password: ['Use at least 10 characters'] } }),
    )
    const password = screen.getByLabelText('Password')
    await waitFor(() => expect(password.getAttribute('aria-invalid')).toBe('true'))
    expect(password.getAttribute('aria-describedby')).toBe('field-password-hint field-password-error')
    expect(document.getElementById('field-password-error')?.textContent).toBe('Use at least 10 characters')
    expect(document.activeElement).toBe(password)
    expect(leavePage).not.toHaveBeenCalled()
  })

  it('a taken email (409) offers to sign in instead, and nobody is signed in or out', async () => {
    const api = await register(() => problem(409, 'EMAIL_TAKEN'))
    expect(await alertText()).toContain('An account with this email already exists.')
    expect(screen.getByRole('link', { name: 'Go to sign in' }).getAttribute('href')).toBe('/login')
    expect(api.count('POST', '/api/auth/login')).toBe(0)
    expect(announceSignedIn).not.toHaveBeenCalled()
    expect(announceSignedOut).not.toHaveBeenCalled()
  })

  it('429 says how long to wait, from Retry-After', async () => {
    await register(() => problem(429, 'RATE_LIMITED', { 'Retry-After': '45' }))
    expect(await alertText()).toContain('Too many attempts. Try again in 45 seconds.')
  })

  it('no answer at all says to check the connection', async () => {
    await register(() => Promise.reject(new TypeError('Failed to fetch')))
    expect(await alertText()).toContain('We couldn’t reach the server. Check your connection and try again.')
    expect(screen.getByRole('button', { name: 'Create account' }).getAttribute('aria-disabled')).toBe('false')
  })

  it('created but not signed in: says so and offers the sign-in page', async () => {
    await register(({ path }) => (path === '/api/auth/register' ? json(201, { user }) : problem(429, 'RATE_LIMITED', { 'Retry-After': '60' })))
    expect(await alertText()).toContain('Your account was created, but we couldn’t sign you in automatically.')
    expect(screen.getByRole('link', { name: 'Go to sign in' })).toBeTruthy()
    expect(announceSignedIn).not.toHaveBeenCalled()
    expect(leavePage).not.toHaveBeenCalled()
  })
})
