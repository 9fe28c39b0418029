import { z } from 'zod'
import type { FieldErrors } from '@/lib/shared/error-codes'
import { ProblemError } from './errors'

export const MAX_BODY_BYTES = 16 * 1024

/**
 * Reads a JSON body: 415 unless `application/json`, 413 past 16 KiB (counted while streaming, not
 * trusted from Content-Length), 400 VALIDATION_FAILED with per-field errors for bad JSON or fields.
 * `optional` lets an empty body stand for `{}` (cookie-mode refresh and logout send none).
 */
export async function readJson<S extends z.ZodType>(request: Request, schema: S, options: { optional?: boolean } = {}): Promise<z.output<S>> {
  const text = await readBodyText(request)
  if (text.trim() === '' && options.optional) return parse(schema, {})
  if (!isJsonContentType(request.headers)) {
    throw new ProblemError('UNSUPPORTED_MEDIA_TYPE', 'Send a JSON body with Content-Type: application/json.')
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ProblemError('VALIDATION_FAILED', 'The body is not valid JSON.', { errors: { body: ['Malformed JSON'] } })
  }
  return parse(schema, value)
}

/** `application/json` or a `+json` type such as `application/merge-patch+json`. */
export function isJsonContentType(headers: Headers): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(headers.get('content-type') ?? '')
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  throw new ProblemError('VALIDATION_FAILED', 'Some fields are missing or invalid.', { errors: fieldErrors(result.error, 'body') })
}

/** zod's per-field messages; problems with the value as a whole go under `whole` (SPEC §7 `errors`). */
export function fieldErrors(error: z.ZodError, whole: string): FieldErrors {
  const { formErrors, fieldErrors: byField } = z.flattenError(error)
  return { ...(byField as FieldErrors), ...(formErrors.length > 0 ? { [whole]: formErrors } : {}) }
}

async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  // Either way the rest of the body stays unread, so the answer closes the connection.
  if (declared > MAX_BODY_BYTES) throw new ProblemError('PAYLOAD_TOO_LARGE', 'Request bodies are limited to 16 KiB.', { closeConnection: true })
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {})
      throw new ProblemError('PAYLOAD_TOO_LARGE', 'Request bodies are limited to 16 KiB.', { closeConnection: true })
    }
    chunks.push(value)
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch {
    throw new ProblemError('VALIDATION_FAILED', 'The body is not valid UTF-8.', { errors: { body: ['Malformed JSON'] } })
  }
}
