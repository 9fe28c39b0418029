import { sameOriginPath } from '@/lib/shared/same-origin-path'

// Where to go after signing in: only a path on this site (SPEC §9). `//evil.example`,
// `https://…` and the dot-segment tricks that turn into them are open redirects (CWE-601), so
// anything but a same-origin path falls back to the dashboard (lib/same-origin-path.ts).

export const DEFAULT_AFTER_SIGN_IN = '/dashboard'

export function safeNextPath(value: string | string[] | undefined): string {
  const path = typeof value === 'string' ? sameOriginPath(value) : null
  if (path === null) return DEFAULT_AFTER_SIGN_IN
  // Signing in and landing on the sign-in page again helps nobody.
  const pathname = path.split(/[?#]/, 1)[0]
  if (pathname === '/login' || pathname === '/register') return DEFAULT_AFTER_SIGN_IN
  return path
}
