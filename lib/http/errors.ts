import { ERRORS, type ErrorCode, type FieldErrors } from '@/lib/shared/error-codes'

/** An expected failure carried up to the route edge and rendered once (lib/http/problem.ts). */
export class ProblemError extends Error {
  override name = 'ProblemError'
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extra: { errors?: FieldErrors; retryAfter?: number; closeConnection?: boolean } = {},
  ) {
    super(detail ?? ERRORS[code].title)
  }
}
