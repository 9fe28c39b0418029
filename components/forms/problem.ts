// Turns an API answer into something a person can read (SPEC §7 problem+json → SPEC §9
// "friendly error messages, never raw codes"). Browser-safe: no server imports.

import type { ApiError } from '@/lib/client/api-error'

export type FieldErrors = Record<string, string[]>

/** What a form shows after a failed request: one sentence plus per-field messages. */
export type FormProblem = { message: string; fieldErrors: FieldErrors; code: string | null }

const MESSAGES: Record<string, string> = {
  VALIDATION_FAILED: 'Some details need fixing. Check the highlighted fields.',
  INVALID_CREDENTIALS: 'That email and password don’t match an account. Check them and try again.',
  EMAIL_TAKEN: 'An account with this email already exists. Sign in instead, or use another email.',
  CSRF_REJECTED: 'This request was blocked for your safety. Reload the page and try again.',
  SERVICE_UNAVAILABLE: 'The service is briefly unavailable. Try again in a moment.',
  PAYLOAD_TOO_LARGE: 'That was more data than we accept. Shorten the fields and try again.',
  UNAUTHENTICATED: 'You’re signed out. Sign in to continue.',
  ACCESS_TOKEN_EXPIRED: 'Your sign-in needs refreshing. Reload the page to continue.',
  ACCESS_TOKEN_STALE: 'Your permissions changed. Reload the page to continue.',
  ACCESS_TOKEN_REVOKED: 'This session was ended. Sign in again.',
  SESSION_REVOKED: 'This session was ended. Sign in again.',
  SESSION_EXPIRED: 'Your session expired. Sign in again.',
  FORBIDDEN: 'Your account doesn’t have access to this.',
}

const FALLBACK = 'Something went wrong on our side. Please try again.'
export const NETWORK_PROBLEM: FormProblem = {
  message: 'We couldn’t reach the server. Check your connection and try again.',
  fieldErrors: {},
  code: null,
}

function rateLimitedMessage(retryAfter: string | null): string {
  const seconds = Number(retryAfter)
  if (!Number.isFinite(seconds) || seconds <= 0) return 'Too many attempts. Wait a little and try again.'
  if (seconds < 90) return `Too many attempts. Try again in ${Math.ceil(seconds)} seconds.`
  return `Too many attempts. Try again in ${Math.ceil(seconds / 60)} minutes.`
}

function isFieldErrors(value: unknown): value is FieldErrors {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return Object.values(value).every((list) => Array.isArray(list) && list.every((item) => typeof item === 'string'))
}

/** Reads a failed response (problem+json or not) into a FormProblem. Never throws. */
export async function readProblem(response: Response): Promise<FormProblem> {
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall through to the generic message.
  }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const code = typeof record.code === 'string' ? record.code : null
  const fieldErrors = isFieldErrors(record.errors) ? record.errors : {}
  const message =
    code === 'RATE_LIMITED'
      ? rateLimitedMessage(response.headers.get('Retry-After'))
      : ((code && MESSAGES[code]) ?? FALLBACK)
  return { message, fieldErrors, code }
}

/** What a form shows for a failed `requestApi` call (lib/client/api.ts). */
export function formProblemFrom(error: ApiError): FormProblem {
  return { message: error.message, fieldErrors: error.fieldErrors, code: error.code }
}
