import { z } from 'zod'
import { isId } from '@/lib/ids'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_TOO_LONG, PASSWORD_TOO_SHORT } from '@/lib/shared/password-policy'

// Request fields we validate at the edge (zod), shared by the route handlers.

export const idSchema = z.string().refine(isId, 'Not an id')

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

/** A new password (SPEC §7): the one policy the forms show too (lib/shared/password-policy.ts). */
export const newPassword = z.string().min(PASSWORD_MIN_LENGTH, PASSWORD_TOO_SHORT).max(PASSWORD_MAX_LENGTH, PASSWORD_TOO_LONG)
