// Why a tab stopped being signed in, and what the person sees then (SPEC §9: "a session
// revoked elsewhere signs the tab out with a clear toast"; friendly words, never codes).

/** 401 codes after which no refresh can help: the session is over (SPEC §7). */
export const SIGNED_OUT_CODES = new Set([
  'UNAUTHENTICATED',
  'ACCESS_TOKEN_REVOKED',
  'ACCESS_TOKEN_INVALID',
  'REFRESH_TOKEN_MISSING',
  'REFRESH_TOKEN_INVALID',
  'REFRESH_TOKEN_EXPIRED',
  'REFRESH_TOKEN_REUSED',
  'SESSION_REVOKED',
  'SESSION_EXPIRED',
  'DEVICE_MISMATCH',
  'SESSION_ANOMALY',
])

/** 401 codes a refresh cures: the request is replayed once afterwards. */
export const REFRESHABLE_CODES = new Set(['ACCESS_TOKEN_EXPIRED', 'ACCESS_TOKEN_STALE'])

/**
 * `user`: the person chose to sign out; `sign-in-again`: they chose to start a new session;
 * `expired`: the session ran out (idle or absolute end); otherwise a 401 code.
 */
export type SignOutReason = 'user' | 'sign-in-again' | 'expired' | (string & {})

export type SignOutAftermath =
  | { kind: 'login'; withNext: boolean; expired: boolean }
  | { kind: 'toast'; message: string }

const REVOKED = 'This session was ended: you signed out on another device, an administrator ended it, or your password changed.'

const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'Your sign-in is no longer there (signed out in another window, or cookies were cleared).',
  ACCESS_TOKEN_REVOKED: REVOKED,
  SESSION_REVOKED: REVOKED,
  ACCESS_TOKEN_INVALID: 'Your sign-in could not be verified.',
  REFRESH_TOKEN_MISSING: 'Your sign-in is no longer there (signed out in another window, or cookies were cleared).',
  REFRESH_TOKEN_INVALID: 'Your sign-in could not be verified.',
  REFRESH_TOKEN_REUSED: 'This session was ended to protect your account: its sign-in was used twice, which can mean it was copied.',
  DEVICE_MISMATCH: 'This session was ended to protect your account: it was used from another device.',
  SESSION_ANOMALY: 'This session was ended to protect your account: it was used from a different browser.',
}

export function signOutAftermath(reason: SignOutReason): SignOutAftermath {
  if (reason === 'user') return { kind: 'login', withNext: false, expired: false }
  if (reason === 'sign-in-again') return { kind: 'login', withNext: true, expired: false }
  if (reason === 'expired' || reason === 'SESSION_EXPIRED' || reason === 'REFRESH_TOKEN_EXPIRED') {
    return { kind: 'login', withNext: true, expired: true }
  }
  return { kind: 'toast', message: MESSAGES[reason] ?? 'Your session ended.' }
}

/** `/login?next=<path+query>&reason=expired`: the login page sends the person back here. */
export function loginUrl(location: { pathname: string; search: string }, aftermath: { withNext: boolean; expired: boolean }): string {
  const params = new URLSearchParams()
  if (aftermath.withNext) params.set('next', location.pathname + location.search)
  if (aftermath.expired) params.set('reason', 'expired')
  const query = params.toString()
  return query ? `/login?${query}` : '/login'
}
