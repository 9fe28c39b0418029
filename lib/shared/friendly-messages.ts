// What a person reads instead of a problem code (SPEC §9: friendly error messages, never raw
// codes), defined once: forms and toasts after a failed API call, and the toast of a tab that was
// signed out. Browser-safe and free of runtime imports, like the codes it explains.

import type { ErrorCode } from './error-codes'

const REVOKED = 'This session was ended. Sign in again.'

/** After a failed API call: what went wrong and what to do. */
const PROBLEM_MESSAGES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'Some details need fixing. Check the highlighted fields.',
  INVALID_CREDENTIALS: 'That email and password don’t match an account. Check them and try again.',
  EMAIL_TAKEN: 'An account with this email already exists. Sign in instead, or use another email.',
  CSRF_REJECTED: 'This request was blocked for your safety. Reload the page and try again.',
  SERVICE_UNAVAILABLE: 'The service is briefly unavailable. Try again in a moment.',
  PAYLOAD_TOO_LARGE: 'That was more data than we accept. Shorten the fields and try again.',
  UNAUTHENTICATED: 'You’re signed out. Sign in to continue.',
  ACCESS_TOKEN_EXPIRED: 'Your sign-in needs refreshing. Reload the page to continue.',
  ACCESS_TOKEN_STALE: 'Your permissions changed. Reload the page to continue.',
  ACCESS_TOKEN_REVOKED: REVOKED,
  SESSION_REVOKED: REVOKED,
  SESSION_EXPIRED: 'Your session expired. Sign in again.',
  FORBIDDEN: 'Your account doesn’t have access to this.',
}

export const FALLBACK_MESSAGE = 'Something went wrong on our side. Please try again.'
export const NETWORK_MESSAGE = 'We couldn’t reach the server. Check your connection and try again.'

function rateLimitedMessage(retryAfterSeconds: number | null): string {
  if (retryAfterSeconds === null || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds <= 0) return 'Too many attempts. Wait a little and try again.'
  if (retryAfterSeconds < 90) return `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds)} seconds.`
  return `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`
}

// A code comes from an answer: `toString` or `__proto__` must not find Object.prototype's members.
const lookUp = (messages: Partial<Record<ErrorCode, string>>, code: string | null) => (code !== null && Object.hasOwn(messages, code) ? messages[code as ErrorCode] : undefined)

/** The sentence for a failed answer's problem `code` (null: the answer had none). */
export function problemMessage(code: string | null, retryAfterSeconds: number | null = null): string {
  if (code === 'RATE_LIMITED') return rateLimitedMessage(retryAfterSeconds)
  return lookUp(PROBLEM_MESSAGES, code) ?? FALLBACK_MESSAGE
}

const ENDED_ELSEWHERE = 'This session was ended: you signed out on another device, an administrator ended it, or your password changed.'
const GONE = 'Your sign-in is no longer there (signed out in another window, or cookies were cleared).'
const UNVERIFIED = 'Your sign-in could not be verified.'

/** The toast of a tab whose session ended without the person asking (SPEC §9 "a clear toast"). */
const SIGNED_OUT_MESSAGES: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: GONE,
  ACCESS_TOKEN_REVOKED: ENDED_ELSEWHERE,
  SESSION_REVOKED: ENDED_ELSEWHERE,
  ACCESS_TOKEN_INVALID: UNVERIFIED,
  REFRESH_TOKEN_MISSING: GONE,
  REFRESH_TOKEN_INVALID: UNVERIFIED,
  REFRESH_TOKEN_REUSED: 'This session was ended to protect your account: its sign-in was used twice, which can mean it was copied.',
  DEVICE_MISMATCH: 'This session was ended to protect your account: it was used from another device.',
  SESSION_ANOMALY: 'This session was ended to protect your account: it was used from a different browser.',
}

export function signedOutMessage(code: string): string {
  return lookUp(SIGNED_OUT_MESSAGES, code) ?? 'Your session ended.'
}
