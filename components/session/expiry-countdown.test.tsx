// @vitest-environment jsdom
import { act, cleanup, render as renderInPage, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ReactNode } from 'react'
import { createSessionClient, type SessionClient } from '@/lib/client/session-client'
import type { SessionInfo } from '@/lib/shared/api-types'
import { sessionInfo } from '@/lib/client/testing/fake-api'
import { SessionCountdown } from './expiry-countdown'
import { SessionClientProvider } from './session-client-provider'

// A fresh client per test (a tab), on the real localStorage.
let client: SessionClient
const recordSession = (session: SessionInfo) => client.clock.record(session)
const clearSessionClock = () => client.clock.clear()
const render = (ui: ReactNode) => renderInPage(<SessionClientProvider client={client}>{ui}</SessionClientProvider>)

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2030-01-01T09:00:00Z') })
  localStorage.clear()
  client = createSessionClient()
  recordSession(sessionInfo({ accessInMs: 272_000 }))
})
afterEach(cleanup)

const tick = (ms: number) => act(() => vi.advanceTimersByTime(ms))
const liveRegion = () => document.querySelector('[aria-live="polite"]')!

describe('SPEC §9 countdown "Session expires in 4:32" in the header', () => {
  it('counts down once a second from the shared clock', () => {
    render(<SessionCountdown accessTtlSeconds={900} />)
    expect(screen.getByRole('timer').textContent).toBe('Session expires in 4:32')
    tick(990)
    expect(screen.getByRole('timer').textContent).toBe('Session expires in 4:32')
    // Ticks land just after each whole second, the same moment in every tab.
    tick(20)
    expect(screen.getByRole('timer').textContent).toBe('Session expires in 4:31')
  })

  it('re-renders only itself on each tick', () => {
    const parentRenders = vi.fn()
    function Header() {
      parentRenders()
      return <SessionCountdown accessTtlSeconds={900} />
    }
    render(<Header />)
    tick(3010)
    expect(screen.getByRole('timer').textContent).toBe('Session expires in 4:29')
    expect(parentRenders).toHaveBeenCalledTimes(1)
  })

  it('follows a refresh made in any tab (the shared clock)', () => {
    render(<SessionCountdown accessTtlSeconds={900} />)
    act(() => {
      recordSession(sessionInfo({ accessInMs: 900_000 }))
    })
    expect(screen.getByRole('timer').textContent).toBe('Session expires in 15:00')
  })

  it('tells screen readers in a separate polite region, at most once a minute', () => {
    render(<SessionCountdown accessTtlSeconds={900} announce />)
    expect(screen.getByRole('timer').getAttribute('aria-live')).toBeNull() // role=timer: implicitly off
    expect(liveRegion().textContent).toBe('Session expires in 5 minutes.')
    tick(40_000)
    expect(liveRegion().textContent).toBe('Session expires in 5 minutes.')
    tick(21_000)
    expect(liveRegion().textContent).toBe('Session expires in 4 minutes.')
  })

  it('says "Signed out" once the session is gone', () => {
    render(<SessionCountdown accessTtlSeconds={900} />)
    act(() => clearSessionClock())
    expect(screen.getByRole('timer').textContent).toBe('Signed out')
  })
})
