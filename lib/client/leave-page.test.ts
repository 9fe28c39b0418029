// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => vi.unstubAllGlobals())

async function freshLeavePage() {
  vi.resetModules()
  const assign = vi.fn()
  vi.stubGlobal('window', Object.assign(Object.create(window), { location: { assign }, addEventListener: window.addEventListener.bind(window) }))
  const { leavePage } = await import('./leave-page')
  return { leavePage, assign }
}

describe('leavePage', () => {
  it('navigates once: a second call while the first loads would cancel it', async () => {
    const { leavePage, assign } = await freshLeavePage()
    leavePage('/login?reason=expired')
    leavePage('/login')
    expect(assign.mock.calls).toEqual([['/login?reason=expired']])
  })

  it('back from the bfcache, the page may leave again', async () => {
    const { leavePage, assign } = await freshLeavePage()
    leavePage('/login')
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }))
    leavePage('/login?next=%2Fdashboard')
    expect(assign).toHaveBeenCalledTimes(2)
  })
})

describe('leavePage stays on this site (CWE-601)', () => {
  it.each(['//evil.example', '/.//evil.example', '/%2e%2e//evil.example', '/./\\evil.example', 'https://evil.example/', 'javascript:alert(1)'])(
    'goes home instead of to %s',
    async (target) => {
      const { leavePage, assign } = await freshLeavePage()
      leavePage(target)
      expect(assign.mock.calls).toEqual([['/']])
    },
  )
})
