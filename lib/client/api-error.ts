// A failed API call as one typed value: the problem+json code (SPEC §7) plus the friendly
// sentence a person sees (SPEC §9: never raw codes).

import { NETWORK_PROBLEM, readProblem, type FieldErrors } from '@/components/forms/problem'

export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    /** HTTP status; 0 when no answer came at all. */
    readonly status: number,
    /** The problem+json `code`, e.g. `SESSION_REVOKED`; null when the answer had none. */
    readonly code: string | null,
    /** What to show the person. */
    message: string,
    readonly fieldErrors: FieldErrors = {},
    /** Seconds from `Retry-After` (429, 503). */
    readonly retryAfter: number | null = null,
  ) {
    super(message)
  }
}

export async function apiErrorFrom(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('Retry-After'))
  const problem = await readProblem(response)
  return new ApiError(response.status, problem.code, problem.message, problem.fieldErrors, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null)
}

export const networkApiError = () => new ApiError(0, null, NETWORK_PROBLEM.message)
