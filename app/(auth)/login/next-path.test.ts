import { describe, expect, it } from 'vitest'
import { safeNextPath } from './next-path'

describe('SPEC §9: after sign-in, return to `next` only when it is a same-origin path', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/sessions?tab=all#top', '/sessions?tab=all#top'],
    ['/admin/users', '/admin/users'],
  ])('keeps the path %s', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected)
  })

  it.each([
    ['a protocol-relative URL', '//evil.example'],
    ['a backslash that browsers read as a slash', '/\\evil.example'],
    ['an absolute URL', 'https://evil.example/dashboard'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'dashboard'],
    ['a tab hiding a second slash', '/\t/evil.example'],
    ['a newline inside the path', '/dash\nboard'],
    ['an empty value', ''],
    ['a repeated parameter', ['/a', '/b']],
    ['no parameter', undefined],
    ['the sign-in page itself', '/login?next=/dashboard'],
  ])('falls back to /dashboard for %s', (_name, input) => {
    expect(safeNextPath(input)).toBe('/dashboard')
  })
})
