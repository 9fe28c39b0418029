import { describe, expect, it } from 'vitest'
import { createThrottledAnnouncer, describeDuration, formatRemaining } from './countdown'

describe('SPEC §9 countdown "Session expires in 4:32"', () => {
  it('formats minutes and seconds, hours when needed', () => {
    expect(formatRemaining(272)).toBe('4:32')
    expect(formatRemaining(5)).toBe('0:05')
    expect(formatRemaining(3723)).toBe('1:02:03')
  })

  it('says durations in words for sentences', () => {
    expect(describeDuration(120)).toBe('2 minutes')
    expect(describeDuration(60)).toBe('1 minute')
    expect(describeDuration(45)).toBe('45 seconds')
    expect(describeDuration(7200)).toBe('2 hours')
  })
})

describe('SPEC §9 the countdown speaks at most once a minute', () => {
  it('keeps the sentence for a minute even when the time in words changes', () => {
    const announce = createThrottledAnnouncer()
    expect(announce(272, 0)).toBe('Session expires in 5 minutes.')
    expect(announce(240, 32_000)).toBe('Session expires in 5 minutes.')
    expect(announce(211, 61_000)).toBe('Session expires in 4 minutes.')
    // A refresh a second later jumps the time: still no new sentence within the minute.
    expect(announce(900, 62_000)).toBe('Session expires in 4 minutes.')
    expect(announce(841, 121_000)).toBe('Session expires in 14 minutes.')
  })
})
