// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest'
import { createPageLeaver } from './leave-page'

async function freshLeavePage() {
  const assign = vi.fn()
  const page = { location: { assign } as unknown as Location, addEventListener: window.addEventListener.bind(window) }
  return { leavePage: createPageLeaver(page), assign }
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
