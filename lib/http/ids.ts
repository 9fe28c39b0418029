import { z } from 'zod'

// Every id we hand out (users, sessions, jti) is a UUID. Checking the shape at the edge keeps
// junk, such as NUL bytes that Postgres text cannot hold, away from the database.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isId(value: string): boolean {
  return UUID.test(value)
}

export const idSchema = z.string().regex(UUID, 'Not an id')

/**
 * Free text we store and show to others (a person's name): NFC-normalised, and without control,
 * format, line/paragraph separator, private-use or lone surrogate characters. Format characters
 * include the bidi overrides (U+202E "RLO") and zero-width characters, which let a name pose as
 * another in the admin screens (Trojan Source, CVE-2021-42574; Unicode TR #36 §2).
 */
export const printable = z
  .string()
  .normalize('NFC')
  .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]*$/u, 'Use visible characters only (no control, formatting or invisible characters)')
