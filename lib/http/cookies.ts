import { RequestCookies } from 'next/dist/server/web/spec-extension/cookies'

// Cookie names and attributes (SPEC §3). HttpOnly, SameSite=Lax, Path=/ for all: the gate must see
// the refresh token during a page navigation (docs/decisions/003). `__Host-` and Secure everywhere
// except plain-http localhost, where browsers would drop Secure cookies. Parsed with Next's own
// RequestCookies, the parser the gate's `request.cookies` uses, so both read the same cookie.

export type CookieOptions = { httpOnly: true; secure: boolean; sameSite: 'lax'; path: '/'; maxAge?: number }
export type CookieToSet = { name: string; value: string; options: CookieOptions }
export type AuthCookies = { access?: string; refresh?: string; device?: string }

const DEVICE_MAX_AGE = 400 * 86400 // the longest Chrome keeps a cookie

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

export function isSecureContext(origin: string): boolean {
  if (origin === lastSecure.origin) return lastSecure.secure
  const { protocol, hostname } = new URL(origin)
  const secure = !(protocol === 'http:' && (LOOPBACK.has(hostname) || hostname.endsWith('.localhost')))
  lastSecure = { origin, secure }
  return secure
}

// Every request of a site asks about the same origin (the gate runs on every request).
let lastSecure = { origin: '', secure: true }

export function cookieNames(secure: boolean) {
  const prefix = secure ? '__Host-njjwt-' : 'njjwt-'
  return { access: `${prefix}at`, refresh: `${prefix}rt`, device: `${prefix}did` }
}

/** The auth cookies of a request (a Cookie header, or a jar Next already parsed). */
export function readAuthCookies(source: Headers | Pick<RequestCookies, 'get'>, secure: boolean): AuthCookies {
  const jar = source instanceof Headers ? new RequestCookies(source) : source
  const names = cookieNames(secure)
  return { access: jar.get(names.access)?.value, refresh: jar.get(names.refresh)?.value, device: jar.get(names.device)?.value }
}

function options(secure: boolean, maxAge?: number): CookieOptions {
  return { httpOnly: true, secure, sameSite: 'lax', path: '/', ...(maxAge === undefined ? {} : { maxAge }) }
}

export type IssuedCookieInput = {
  accessToken: string
  refreshToken: string
  /** Seconds until the access cookie may go (its token's life plus the expiry grace). */
  accessMaxAge: number
  /** Seconds until the refresh token expires; omitted → a browser-session cookie (no Remember me). */
  refreshMaxAge?: number
  deviceId: string
}

export function sessionCookies(secure: boolean, input: IssuedCookieInput): CookieToSet[] {
  const names = cookieNames(secure)
  return [
    { name: names.access, value: input.accessToken, options: options(secure, Math.max(1, input.accessMaxAge)) },
    { name: names.refresh, value: input.refreshToken, options: options(secure, input.refreshMaxAge === undefined ? undefined : Math.max(1, input.refreshMaxAge)) },
    { name: names.device, value: input.deviceId, options: options(secure, DEVICE_MAX_AGE) },
  ]
}

/** Clears the token cookies; the device id stays (it names the browser, not the session). */
export function clearedSessionCookies(secure: boolean): CookieToSet[] {
  const names = cookieNames(secure)
  return [names.access, names.refresh].map((name) => ({ name, value: '', options: options(secure, 0) }))
}

function serializeCookie({ name, value, options: o }: CookieToSet): string {
  const parts = [`${name}=${value}`, `Path=${o.path}`, 'HttpOnly', 'SameSite=Lax']
  if (o.secure) parts.push('Secure')
  if (o.maxAge !== undefined) parts.push(`Max-Age=${o.maxAge}`)
  return parts.join('; ')
}

/** Adds a Set-Cookie line for each cookie to `headers`. */
export function writeCookies(headers: Headers, cookies: CookieToSet[]): void {
  for (const cookie of cookies) headers.append('Set-Cookie', serializeCookie(cookie))
}
