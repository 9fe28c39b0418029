import { z } from 'zod'

// Every id we hand out (users, sessions, jti) is a UUID. Checking the shape at the edge keeps
// junk, such as NUL bytes that Postgres text cannot hold, away from the database.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isId(value: string): boolean {
  return UUID.test(value)
}

export const idSchema = z.string().regex(UUID, 'Not an id')

/** Free text we store: printable, no control characters. */
export const printable = z.string().regex(/^[^\u0000-\u001f\u007f]*$/, 'Use printable characters only')
