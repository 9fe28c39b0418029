import type { ErrorCode, FieldErrors } from './error-codes'

// What a use case in lib/auth answers (STYLE: expected failures are values, not exceptions), and
// what the auth edge (lib/http/auth-edge.ts) renders: problem+json with the code's status,
// `Retry-After` and per-field `errors`. Type-only and import-free.

export type Failure = {
  ok: false
  code: ErrorCode
  /** A sentence for `detail`; the code's title when absent. */
  detail?: string
  /** Seconds, for `Retry-After` (429, 503). */
  retryAfter?: number
  errors?: FieldErrors
}

export type Outcome<T extends object = object> = ({ ok: true } & T) | Failure

export function fail(code: ErrorCode, extra: Omit<Failure, 'ok' | 'code'> = {}): Failure {
  return { ok: false, code, ...extra }
}
