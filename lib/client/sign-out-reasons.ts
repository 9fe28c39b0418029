// Why a tab stopped being signed in, and what the person sees then (SPEC §9: "a session
// revoked elsewhere signs the tab out with a clear toast"; friendly words, never codes).

import type { ErrorCode } from '@/lib/shared/error-codes'
import { signedOutMessage } from '@/lib/shared/friendly-messages'

/** 401 codes after which no refresh can help: the session is over (SPEC §7). */
export const SIGNED_OUT_CODES: ReadonlySet<string> = new Set<ErrorCode>([
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

/**
 * `user`: the person chose to sign out; `sign-in-again`: they chose to start a new session;
 * `expired`: the session ran out (idle or absolute end); otherwise a 401 code.
 */
export type SignOutReason = 'user' | 'sign-in-again' | 'expired' | (string & {})

export type SignOutAftermath =
  | { kind: 'login'; withNext: boolean; expired: boolean }
  | { kind: 'toast'; message: string }

export function signOutAftermath(reason: SignOutReason): SignOutAftermath {
  if (reason === 'user') return { kind: 'login', withNext: false, expired: false }
  if (reason === 'sign-in-again') return { kind: 'login', withNext: true, expired: false }
  if (reason === 'expired' || reason === 'SESSION_EXPIRED' || reason === 'REFRESH_TOKEN_EXPIRED') {
    return { kind: 'login', withNext: true, expired: true }
  }
  return { kind: 'toast', message: signedOutMessage(reason) }
}

/** `/login?next=<path+query>&reason=expired`: the login page sends the person back here. */
export function loginUrl(location: { pathname: string; search: string }, aftermath: { withNext: boolean; expired: boolean }): string {
  const params = new URLSearchParams()
  if (aftermath.withNext) params.set('next', location.pathname + location.search)
  if (aftermath.expired) params.set('reason', 'expired')
  const query = params.toString()
  return query ? `/login?${query}` : '/login'
}
