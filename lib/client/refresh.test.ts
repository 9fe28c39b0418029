// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { createSessionClient } from './session-client'
import { installFakeApi, json, sessionInfo } from './testing/fake-api'
import { createFakeLocks } from './testing/fake-locks'

/** A fresh client (a tab) on the browser's navigator.locks, if the test installed one. */
async function load() {
  const client = createSessionClient()
  return { refreshSession: client.refresh, recordSession: client.clock.record, slowRefresh: client.slowRefresh }
}

/** navigator.locks as one browser has it: callbacks for a name run one after another. */
function installLocks() {
  const locks = createFakeLocks()
  const request = vi.fn(locks.request) as Mock & typeof locks.request
  Object.defineProperty(navigator, 'locks', { value: { request, query: locks.query }, configurable: true })
  return request
}

beforeEach(() => {
  localStorage.clear()
  vi.stubGlobal('BroadcastChannel', undefined)
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  Reflect.deleteProperty(navigator, 'locks')
})

describe('SPEC §9 one tab’s refresh serves all', () => {
  it('takes the njjwt-refresh lock around the request', async () => {
    const request = installLocks()
    const { refreshSession } = await load()
    installFakeApi(() => json(200, { rotated: true, session: sessionInfo() }))
    await expect(refreshSession()).resolves.toMatchObject({ ok: true, rotated: true, skipped: false })
    expect(request).toHaveBeenCalledWith('njjwt-refresh', expect.any(Function))
  })

  it('skips the request when, once it holds the lock, the shared clock shows another tab refreshed since', async () => {
    const request = installLocks()
    const { refreshSession, recordSession } = await load()
    const api = installFakeApi(() => json(200, { rotated: true, session: sessionInfo() }))
    const since = Date.now()
    // Another tab holds the lock and refreshes while this one waits.
    let releaseOtherTab: (() => void) | undefined
    void request('njjwt-refresh', () => new Promise<void>((resolve) => (releaseOtherTab = resolve)))
    const waiting = refreshSession({ since })
    await vi.waitFor(() => expect(releaseOtherTab).toBeDefined())
    recordSession(sessionInfo({ accessInMs: 15 * 60_000 }), since + 5)
    releaseOtherTab!()

    await expect(waiting).resolves.toMatchObject({ ok: true, skipped: true })
    expect(api.count('POST', '/api/auth/refresh')).toBe(0)
  })

  it('does refresh when the last refresh happened before the caller saw its token fail', async () => {
    installLocks()
    const { refreshSession, recordSession } = await load()
    recordSession(sessionInfo({ accessInMs: 1000 }), Date.now() - 60_000)
    const api = installFakeApi(() => json(200, { rotated: true, session: sessionInfo() }))
    await refreshSession({ since: Date.now() })
    expect(api.count('POST', '/api/auth/refresh')).toBe(1)
  })

  it('tells other tabs about a rotation (they adopt the new times)', async () => {
    const { refreshSession } = await load()
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    const next = sessionInfo()
    installFakeApi(() => json(200, { rotated: true, session: next }))
    await refreshSession()
    const sent = setItem.mock.calls.filter(([key]) => key === 'njjwt.tab-message').map(([, value]) => JSON.parse(value).message)
    expect(sent).toEqual([{ type: 'refreshed', session: next }])
  })
})

describe('SPEC §9 a spinner only if a refresh takes longer than 1 s', () => {
  it('a quick refresh never shows it', async () => {
    vi.useFakeTimers()
    const { refreshSession, slowRefresh } = await load()
    const seen: boolean[] = []
    slowRefresh.subscribe(() => seen.push(slowRefresh.get()))
    installFakeApi(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300))
      return json(200, { rotated: true, session: sessionInfo() })
    })
    const pending = refreshSession()
    await vi.advanceTimersByTimeAsync(2000)
    await pending
    expect(seen).toEqual([])
  })

  it('a slow one shows it after 1 s and hides it when done', async () => {
    vi.useFakeTimers()
    const { refreshSession, slowRefresh } = await load()
    installFakeApi(async () => {
      await new Promise((resolve) => setTimeout(resolve, 2500))
      return json(200, { rotated: true, session: sessionInfo() })
    })
    const pending = refreshSession()
    await vi.advanceTimersByTimeAsync(999)
    expect(slowRefresh.get()).toBe(false)
    await vi.advanceTimersByTimeAsync(2)
    expect(slowRefresh.get()).toBe(true)
    await vi.advanceTimersByTimeAsync(2000)
    await pending
    expect(slowRefresh.get()).toBe(false)
  })
})
