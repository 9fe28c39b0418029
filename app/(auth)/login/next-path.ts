// Where to go after signing in. Only a path on this site is accepted: `//evil.example`,
// `/\evil.example` (browsers read `\` as `/`) and `https://…` are open redirects
// (CWE-601), so anything but a plain same-origin path falls back to the dashboard.

export const DEFAULT_AFTER_SIGN_IN = '/dashboard'

const BASE = 'http://same-origin.invalid'

export function safeNextPath(value: string | string[] | undefined): string {
  if (typeof value !== 'string') return DEFAULT_AFTER_SIGN_IN
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return DEFAULT_AFTER_SIGN_IN
  // URL parsers drop tabs and newlines, which could turn `/\t/evil.example` into `//evil.example`.
  if (/[\u0000-\u001f\u007f]/.test(value)) return DEFAULT_AFTER_SIGN_IN
  let url: URL
  try {
    url = new URL(value, BASE)
  } catch {
    return DEFAULT_AFTER_SIGN_IN
  }
  if (url.origin !== BASE) return DEFAULT_AFTER_SIGN_IN
  // Signing in and landing on the sign-in page again helps nobody.
  if (url.pathname === '/login' || url.pathname === '/register') return DEFAULT_AFTER_SIGN_IN
  return `${url.pathname}${url.search}${url.hash}`
}
