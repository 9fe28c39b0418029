import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { recordAudit } from '@/lib/audit'
import { getConfig } from '@/lib/config'
import { getDb, type Db } from '@/lib/store/db'
import { users, type UserRow } from '@/lib/store/schema'
import { newUuidV7 } from '@/lib/ids'
import { hashPassword } from './passwords'
import { permissionsFor } from './rbac'

export type UserView = { id: string; email: string; name: string | null; role: string; permissions: string[] }

export function userView(user: Pick<UserRow, 'id' | 'email' | 'name' | 'role'>): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role, permissions: permissionsFor(user.role) }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

export async function findUserByEmail(email: string, db?: Db): Promise<UserRow | null> {
  const [user] = await (db ?? (await getDb())).select().from(users).where(sql`lower(${users.email}) = ${normalizeEmail(email)}`).limit(1)
  return user ?? null
}

export async function findUserById(id: string, db?: Db): Promise<UserRow | null> {
  const [user] = await (db ?? (await getDb())).select().from(users).where(eq(users.id, id)).limit(1)
  return user ?? null
}

export type RegisterInput = { email: string; password: string; name?: string | null; ip?: string | null; userAgent?: string | null }

/** Creates the account; `null` when the email is taken. Emails in AUTH_ADMIN_EMAILS become admin. */
export async function registerUser(input: RegisterInput, nowMs: number, db?: Db): Promise<UserRow | null> {
  const database = db ?? (await getDb())
  const email = normalizeEmail(input.email)
  const role = getConfig().adminEmails.includes(email) ? 'admin' : 'user'
  const passwordHash = await hashPassword(input.password)
  const at = new Date(nowMs)
  return database.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ id: newUuidV7(nowMs), email, name: input.name ?? null, passwordHash, role, createdAt: at, updatedAt: at })
      .onConflictDoNothing()
      .returning()
    if (!user) return null
    await recordAudit(tx, { event: 'register', at, userId: user.id, ip: input.ip, userAgent: input.userAgent, detail: { role } })
    return user
  })
}
