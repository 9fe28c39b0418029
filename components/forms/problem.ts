// What a form shows after a failed request (SPEC §7 problem+json → SPEC §9 "friendly error
// messages, never raw codes"). The sentences live in lib/shared/friendly-messages.ts.

import type { ApiError, FieldErrors } from '@/lib/client/api-error'

/** One sentence plus per-field messages. */
export type FormProblem = { message: string; fieldErrors: FieldErrors; code: string | null }

/** What a form shows for a failed API call (lib/client/api.ts). */
export function formProblemFrom(error: ApiError): FormProblem {
  return { message: error.message, fieldErrors: error.fieldErrors, code: error.code }
}
