// Every error code of SPEC §7, defined once: status, title, and the explanation the
// `type` page (/errors/<code>) shows. Rendered as RFC 9457 problem+json by lib/http/problem.ts;
// the use cases in lib/auth return these codes as values. Import-free: the browser reads it too.

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, title: 'Validation failed', explain: 'Some fields of the request are missing or invalid. The `errors` member lists each field and what is wrong with it.' },
  UNAUTHENTICATED: { status: 401, title: 'Not signed in', explain: 'This needs a signed-in user and the request carried no access token.' },
  INVALID_CREDENTIALS: { status: 401, title: 'Wrong email or password', explain: 'The email and password do not match an account. For safety, the answer does not say which of the two was wrong.' },
  ACCESS_TOKEN_EXPIRED: { status: 401, title: 'Access token expired', explain: 'The access token is past its lifetime. Call POST /api/auth/refresh and repeat the request with the new token.' },
  ACCESS_TOKEN_INVALID: { status: 401, title: 'Access token invalid', explain: 'The access token is malformed, signed with an unknown key or algorithm, or meant for another issuer, audience or purpose.' },
  ACCESS_TOKEN_REVOKED: { status: 401, title: 'Access token revoked', explain: 'The token, its session or all sessions of its user were ended (sign-out, password change, an administrator, or detected token theft). Sign in again.' },
  ACCESS_TOKEN_STALE: { status: 401, title: 'Access token out of date', explain: 'The user’s role or permissions changed after this token was issued. Refresh to get a token with the current claims.' },
  REFRESH_TOKEN_MISSING: { status: 401, title: 'Refresh token missing', explain: 'The refresh request carried no refresh token (cookie, or `refreshToken` in the JSON body in bearer mode).' },
  REFRESH_TOKEN_INVALID: { status: 401, title: 'Refresh token invalid', explain: 'The refresh token is malformed, has a bad signature, or is not a refresh token for this service.' },
  REFRESH_TOKEN_EXPIRED: { status: 401, title: 'Refresh token expired', explain: 'The refresh token is past its lifetime. Sign in again.' },
  REFRESH_TOKEN_REUSED: { status: 401, title: 'Refresh token reused', explain: 'A refresh token that was already exchanged was presented again. This is how stolen tokens show themselves, so the whole session was ended (RFC 9700 §4.14). Sign in again.' },
  SESSION_REVOKED: { status: 401, title: 'Session ended', explain: 'This session was signed out, here or elsewhere. Sign in again.' },
  SESSION_EXPIRED: { status: 401, title: 'Session expired', explain: 'The session reached its absolute lifetime and cannot be extended. Sign in again.' },
  DEVICE_MISMATCH: { status: 401, title: 'Different device', explain: 'The refresh token was presented by another device than the one it was issued to, so the session was ended.' },
  SESSION_ANOMALY: { status: 401, title: 'Unusual session activity', explain: 'The browser or client presenting this session changed unexpectedly, so the session was ended for safety.' },
  FORBIDDEN: { status: 403, title: 'Not allowed', explain: 'You are signed in, but your role lacks the permission this needs.' },
  CSRF_REJECTED: { status: 403, title: 'Cross-site request rejected', explain: 'A state-changing request came from another site (its Origin or Sec-Fetch-Site header did not match this site) and was refused.' },
  NOT_FOUND: { status: 404, title: 'Not found', explain: 'There is nothing at this address, or it is not yours to see.' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed', explain: 'This address exists but does not take this HTTP method. The `Allow` header lists the ones it does.' },
  EMAIL_TAKEN: { status: 409, title: 'Email already registered', explain: 'An account with this email exists. Sign in instead.' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request too large', explain: 'Request bodies are limited to 16 KiB.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type', explain: 'Send the body as JSON with `Content-Type: application/json`.' },
  RATE_LIMITED: { status: 429, title: 'Too many requests', explain: 'Slow down: the `Retry-After` header says how many seconds to wait.' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable', explain: 'A storage service this needs cannot be reached right now. Nothing was let through unchecked; try again shortly.' },
  INTERNAL: { status: 500, title: 'Internal error', explain: 'Something went wrong on our side. It has been logged; try again.' },
} as const satisfies Record<string, { status: number; title: string; explain: string }>

export type ErrorCode = keyof typeof ERRORS

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERRORS, value)
}

/** The page that explains a code (the problem's `type`). */
export function errorTypeUrl(code: ErrorCode): string {
  return `/errors/${code}`
}

export type FieldErrors = Record<string, string[]>

/** 401 codes a refresh cures: the browser refreshes once and replays the request (SPEC §9). */
export const REFRESHABLE_CODES: ReadonlySet<string> = new Set<ErrorCode>(['ACCESS_TOKEN_EXPIRED', 'ACCESS_TOKEN_STALE'])
