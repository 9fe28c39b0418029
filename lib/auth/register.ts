import 'server-only'
import { recordAudit } from '@/lib/audit'
import { getConfig } from '@/lib/config'
import { newUuidV7 } from '@/lib/ids'
import type { UserInfo } from '@/lib/shared/api-types'
import type { ClientInfo } from '@/lib/shared/client-info'
import { fail, type Outcome } from '@/lib/shared/outcome'
import { getDb } from '@/lib/store/db'
import { users } from '@/lib/store/schema'
import { checkLimit } from './limits'
import { hashPassword, HashingBusyError } from './passwords'
import { normalizeEmail } from './users'
import { userView } from './views'

export type RegisterInput = { email: string; password: string; name?: string | null; client: ClientInfo }

/**
 * POST /api/auth/register (SPEC §7): a new account, at most AUTH_REGISTER_LIMIT per address per
 * hour. Emails in AUTH_ADMIN_EMAILS become admin. A taken email is EMAIL_TAKEN, whatever its case.
 */
export async function register(input: RegisterInput, nowMs: number): Promise<Outcome<{ user: UserInfo }>> {
  const limited = await checkLimit('register_ip', input.client.network, input.client)
  if (limited) return limited
  const email = normalizeEmail(input.email)
  const role = getConfig().adminEmails.includes(email) ? 'admin' : 'user'
  let passwordHash: string
  try {
    passwordHash = await hashPassword(input.password)
  } catch (error) {
    if (HashingBusyError.is(error)) return fail('SERVICE_UNAVAILABLE', { detail: 'The server is busy. Try again in a moment.', retryAfter: error.retryAfter })
    throw error
  }
  const at = new Date(nowMs)
  const db = await getDb()
  const user = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ id: newUuidV7(nowMs), email, name: input.name ?? null, passwordHash, role, createdAt: at, updatedAt: at })
      .onConflictDoNothing()
      .returning()
    if (created) await recordAudit(tx, { event: 'register', at, userId: created.id, ip: input.client.ip, userAgent: input.client.userAgent, detail: { role } })
    return created
  })
  if (!user) return fail('EMAIL_TAKEN', { detail: 'An account with this email already exists.' })
  return { ok: true, user: userView(user) }
}
