// A navigation target that stays on this site (CWE-601, open redirect). Pure: the login page
// checks `next` with it on the server, and leavePage checks every target again in the browser.

const BASE = 'http://same-origin.invalid'

// A second `/` or a `\` (browsers read it as `/`) right after the first makes a scheme-relative
// URL: `//evil.example` is another site.
const isPathOnly = (value: string) => value.startsWith('/') && value[1] !== '/' && value[1] !== '\\'

function parsedPath(value: string): string | null {
  try {
    const url = new URL(value, BASE)
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : null
  } catch {
    return null
  }
}

/**
 * `value` as a path of this site (normalised the way the URL parser does it), or null. The check is
 * on the string returned, not only the one given: the parser removes dot segments and reads `\` as
 * `/`, so `/.//evil.example`, `/%2e%2e//evil.example` and `/./\evil.example` all come out as
 * `//evil.example`. Returned paths parse to themselves, so the browser goes exactly there.
 */
export function sameOriginPath(value: string): string | null {
  // URL parsers drop tabs and newlines, which could turn `/\t/evil.example` into `//evil.example`.
  if (!isPathOnly(value) || /[\u0000-\u001f\u007f]/.test(value)) return null
  const path = parsedPath(value)
  if (path === null || !isPathOnly(path)) return null
  return parsedPath(path) === path ? path : null
}
