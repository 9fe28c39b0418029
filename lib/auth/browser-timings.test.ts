import { describe, expect, it } from 'vitest'
import { browserTimings } from './browser-timings'

describe('browserTimings', () => {
  it('keeps the defaults: refresh 60 s and warn 120 s before expiry, inside the 120 s window', () => {
    expect(browserTimings({ proactiveRefresh: 60, warningBefore: 120, refreshWindow: 120 })).toEqual({
      proactiveRefreshSeconds: 60,
      warningBeforeSeconds: 120,
    })
  })

  it('never warns before the server would rotate, so [Stay signed in] always extends', () => {
    expect(browserTimings({ proactiveRefresh: 60, warningBefore: 300, refreshWindow: 120 }).warningBeforeSeconds).toBe(120)
    expect(browserTimings({ proactiveRefresh: 4, warningBefore: 10, refreshWindow: 5 }).warningBeforeSeconds).toBe(5)
  })

  it('refreshes proactively a second inside the window, and never at or before expiry', () => {
    expect(browserTimings({ proactiveRefresh: 60, warningBefore: 120, refreshWindow: 30 }).proactiveRefreshSeconds).toBe(29)
    expect(browserTimings({ proactiveRefresh: 60, warningBefore: 120, refreshWindow: 1 }).proactiveRefreshSeconds).toBe(1)
  })
})
