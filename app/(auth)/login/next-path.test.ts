import { describe, expect, it } from 'vitest'
import { safeNextPath } from './next-path'

describe('SPEC §9: after sign-in, return to `next` only when it is a same-origin path', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/sessions?tab=all#top', '/sessions?tab=all#top'],
    ['/admin/users', '/admin/users'],
    ['/./dashboard', '/dashboard'],
    ['/sessions?next=//evil.example', '/sessions?next=//evil.example'],
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
    ['the sign-in page behind a dot segment', '/./login'],
  ])('falls back to /dashboard for %s', (_name, input) => {
    expect(safeNextPath(input)).toBe('/dashboard')
  })

  // Issue 8 item 2: each passed the first-character check, and the URL parser then removed the
  // dot segment (or read `\` as `/`), returning `//evil.example` (CWE-601).
  it.each(['/.//', '/..//', '/%2e//', '/%2E//', '/%2e%2e//', '/a/..//', '/a/%2e%2e//', '/./\\', '/.\\/', '/.///', '/./\\/'])(
    'falls back to /dashboard for the dot-segment variant %s',
    (prefix) => {
      expect(safeNextPath(`${prefix}evil.example`)).toBe('/dashboard')
      expect(safeNextPath(`${prefix}evil.example/dashboard?x=1`)).toBe('/dashboard')
    },
  )
})
