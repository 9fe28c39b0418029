// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSessionClient } from './session-client'
import { installFakeApi, json, problem, sessionInfo } from './testing/fake-api'

// A fresh client per test: its single-flight promise and signed-out flag start empty.
async function load() {
  const client = createSessionClient()
  return {
    requestApi: client.api.request,
    recordSession: client.clock.record,
    getSessionClock: client.clock.get,
    onSignedOut: client.events.onSignedOut,
    networkState: client.network,
  }
}

beforeEach(() => {
  localStorage.clear()
  // The storage-event fallback: no BroadcastChannel handles left open by the test.
  vi.stubGlobal('BroadcastChannel', undefined)
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('SPEC §9 silent refresh: a 401 ACCESS_TOKEN_EXPIRED is refreshed once and replayed', () => {
  it('ten calls failing together cause one refresh and ten replays', async () => {
    const { requestApi, recordSession } = await load()
    recordSession(sessionInfo({ accessInMs: -1000 }))
    let refreshed = false
    const api = installFakeApi(async ({ method, path }) => {
      if (method === 'POST' && path === '/api/auth/refresh') {
        await new Promise((resolve) => setTimeout(resolve, 10)) // the other nine arrive meanwhile
        refreshed = true
        return json(200, { rotated: true, session: sessionInfo() })
      }
      return refreshed ? json(200, { user: { email: 'user@example.com' } }) : problem(401, 'ACCESS_TOKEN_EXPIRED')
    })

    const results = await Promise.all(Array.from({ length: 10 }, () => requestApi('/api/me')))

    expect(api.count('POST', '/api/auth/refresh')).toBe(1)
    expect(api.count('GET', '/api/me')).toBe(20)
    expect(results.every((result) => result.ok && result.replayed)).toBe(true)
  })

  it('ACCESS_TOKEN_STALE (role changed) is refreshed and replayed the same way', async () => {
    const { requestApi } = await load()
    let refreshed = false
    installFakeApi(({ path }) => {
      if (path === '/api/auth/refresh') {
        refreshed = true
        return json(200, { rotated: true, session: sessionInfo() })
      }
      return refreshed ? json(200, { ok: 1 }) : problem(401, 'ACCESS_TOKEN_STALE')
    })
    await expect(requestApi('/api/me')).resolves.toMatchObject({ ok: true, data: { ok: 1 }, replayed: true })
  })

  it('a replay that fails again with 401 is final: no second refresh, no loop', async () => {
    const { requestApi } = await load()
    const api = installFakeApi(({ path }) =>
      path === '/api/auth/refresh' ? json(200, { rotated: true, session: sessionInfo() }) : problem(401, 'ACCESS_TOKEN_EXPIRED'),
    )
    const result = await requestApi('/api/me')
    expect(result.ok).toBe(false)
    expect(api.count('POST', '/api/auth/refresh')).toBe(1)
    expect(api.count('GET', '/api/me')).toBe(2)
  })

  it('the refresh answer feeds the shared clock', async () => {
    const { requestApi, getSessionClock } = await load()
    const next = sessionInfo({ accessInMs: 15 * 60_000 })
    let refreshed = false
    installFakeApi(({ path }) => {
      if (path === '/api/auth/refresh') {
        refreshed = true
        return json(200, { rotated: true, session: next })
      }
      return refreshed ? json(200, {}) : problem(401, 'ACCESS_TOKEN_EXPIRED')
    })
    await requestApi('/api/me')
    expect(getSessionClock()?.accessExpiresAt).toBe(Date.parse(next.accessTokenExpiresAt))
  })
})

describe('SPEC §9 other 401s sign out', () => {
  it('a non-refreshable 401 signs out with its code as the reason, without a refresh', async () => {
    const { requestApi, onSignedOut, recordSession, getSessionClock } = await load()
    recordSession(sessionInfo())
    const reasons: string[] = []
    onSignedOut((reason) => reasons.push(reason))
    const api = installFakeApi(() => problem(401, 'SESSION_REVOKED'))

    const result = await requestApi('/api/auth/sessions')

    expect(result).toMatchObject({ ok: false, error: { status: 401, code: 'SESSION_REVOKED' } })
    expect(reasons).toEqual(['SESSION_REVOKED'])
    expect(api.count('POST', '/api/auth/refresh')).toBe(0)
    expect(getSessionClock()).toBeNull()
  })

  it('tells the other tabs (storage fallback message)', async () => {
    const { requestApi } = await load()
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    installFakeApi(() => problem(401, 'ACCESS_TOKEN_REVOKED'))
    await requestApi('/api/me')
    const sent = setItem.mock.calls.filter(([key]) => key === 'njjwt.tab-message').map(([, value]) => JSON.parse(value).message)
    expect(sent).toEqual([{ type: 'signed-out', reason: 'ACCESS_TOKEN_REVOKED' }])
  })

  it('a refresh that answers 401 (e.g. REFRESH_TOKEN_REUSED) signs out once, and every waiting call fails', async () => {
    const { requestApi, onSignedOut } = await load()
    const reasons: string[] = []
    onSignedOut((reason) => reasons.push(reason))
    installFakeApi(({ path }) => (path === '/api/auth/refresh' ? problem(401, 'REFRESH_TOKEN_REUSED') : problem(401, 'ACCESS_TOKEN_EXPIRED')))
    const results = await Promise.all([requestApi('/api/me'), requestApi('/api/auth/session')])
    expect(results.map((result) => result.ok)).toEqual([false, false])
    expect(reasons).toEqual(['REFRESH_TOKEN_REUSED'])
  })

  it('a wrong password (401 INVALID_CREDENTIALS) is not a sign-out', async () => {
    const { requestApi, onSignedOut } = await load()
    const listener = vi.fn()
    onSignedOut(listener)
    installFakeApi(() => problem(401, 'INVALID_CREDENTIALS'))
    const result = await requestApi('/api/auth/password', { method: 'POST', body: { currentPassword: 'x', newPassword: 'y' } })
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } })
    expect(result.ok === false && result.error.message).not.toContain('INVALID_CREDENTIALS')
    expect(listener).not.toHaveBeenCalled()
  })
})

describe('network errors retry with backoff and say so', () => {
  it('retries a GET three times in all, "reconnecting" in between, then answers', async () => {
    vi.useFakeTimers()
    const { requestApi, networkState } = await load()
    let attempts = 0
    installFakeApi(() => {
      attempts += 1
      if (attempts < 3) throw new TypeError('Failed to fetch')
      return json(200, { ok: true })
    })
    const states: string[] = []
    networkState.subscribe(() => states.push(networkState.get()))

    const pending = requestApi('/api/me')
    await vi.runAllTimersAsync()

    await expect(pending).resolves.toMatchObject({ ok: true })
    expect(attempts).toBe(3)
    expect(states).toEqual(['reconnecting', 'online'])
  })

  it('gives up after three tries with a friendly network error and "offline"', async () => {
    vi.useFakeTimers()
    const { requestApi, networkState } = await load()
    installFakeApi(() => {
      throw new TypeError('Failed to fetch')
    })
    const pending = requestApi('/api/me')
    await vi.runAllTimersAsync()
    const result = await pending
    expect(result).toMatchObject({ ok: false, error: { status: 0 } })
    expect(result.ok === false && result.error.message).toMatch(/couldn’t reach the server/)
    expect(networkState.get()).toBe('offline')
  })

  it('does not repeat a POST that may have reached the server', async () => {
    const { requestApi } = await load()
    const api = installFakeApi(() => {
      throw new TypeError('Failed to fetch')
    })
    await requestApi('/api/auth/password', { method: 'POST', body: {} })
    expect(api.calls).toHaveLength(1)
  })
})
