import { describe, expect, it } from 'vitest'
import { auditPath, localInputToIso, NO_FILTERS } from './audit-query'

describe('SPEC §8 audit filters become the API query', () => {
  it('no filters: just the page size', () => {
    expect(auditPath(NO_FILTERS)).toBe('/api/admin/audit?limit=50')
  })

  it('user, event and a time range (datetime-local, read as local time) as ISO instants', () => {
    const from = '2026-03-01T09:30'
    const path = new URL(auditPath({ userId: ' 0190-abc ', sessionId: '', event: 'role_changed', from, to: '' }), 'http://x')
    expect(path.searchParams.get('userId')).toBe('0190-abc')
    expect(path.searchParams.has('sessionId')).toBe(false)
    expect(path.searchParams.get('event')).toBe('role_changed')
    expect(path.searchParams.get('from')).toBe(new Date(2026, 2, 1, 9, 30).toISOString())
    expect(path.searchParams.has('to')).toBe(false)
  })

  it('a session picked from the log', () => {
    const path = new URL(auditPath({ ...NO_FILTERS, sessionId: '0190-def' }), 'http://x')
    expect([...path.searchParams.keys()]).toEqual(['sessionId', 'limit'])
    expect(path.searchParams.get('sessionId')).toBe('0190-def')
  })

  it('an empty or broken time is left out', () => {
    expect(localInputToIso('')).toBe('')
    expect(localInputToIso('not a time')).toBe('')
  })
})
