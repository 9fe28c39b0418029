import type { z } from 'zod'
import { fieldErrors } from './body'
import { ProblemError } from './errors'

/** Validates a request's query string; bad values are 400 VALIDATION_FAILED per parameter. */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams)
  const result = schema.safeParse(params)
  if (result.success) return result.data
  throw new ProblemError('VALIDATION_FAILED', 'Some query parameters are invalid.', { errors: fieldErrors(result.error, 'query') })
}
