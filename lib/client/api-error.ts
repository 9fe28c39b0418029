// A failed API call as one typed value: the problem+json code (SPEC §7) plus the friendly
// sentence a person sees (SPEC §9: never raw codes, lib/shared/friendly-messages.ts).

import type { FieldErrors } from '@/lib/shared/error-codes'
import { NETWORK_MESSAGE, problemMessage } from '@/lib/shared/friendly-messages'

export type { FieldErrors }

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

function isFieldErrors(value: unknown): value is FieldErrors {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return Object.values(value).every((list) => Array.isArray(list) && list.every((item) => typeof item === 'string'))
}

/** Reads a failed answer (problem+json or not: a proxy's HTML page, an empty body). Never throws. */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    // Not JSON: the generic message below.
  }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const code = typeof record.code === 'string' ? record.code : null
  const fieldErrors = isFieldErrors(record.errors) ? record.errors : {}
  const seconds = Number(response.headers.get('Retry-After'))
  const retryAfter = Number.isFinite(seconds) && seconds > 0 ? seconds : null
  return new ApiError(response.status, code, problemMessage(code, retryAfter), fieldErrors, retryAfter)
}

export const networkApiError = () => new ApiError(0, null, NETWORK_MESSAGE)
