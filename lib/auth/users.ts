import 'server-only'
import { and, eq, sql } from 'drizzle-orm'
import type { MeResponse } from '@/lib/shared/api-types'
import { fail, type Outcome } from '@/lib/shared/outcome'
import { getDb, type Db } from '@/lib/store/db'
import { users, type UserRow } from '@/lib/store/schema'
import type { AccessClaims } from './tokens'
import { userView } from './views'

export { userView, type UserView } from './views'

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

/**
 * Replaces a password hash made with weaker parameters (lib/auth/passwords.ts needsRehash) after a
 * correct sign-in, only if it is still the one that was checked: a password change in between wins.
 */
export async function upgradePasswordHash(userId: string, checked: string, upgraded: string): Promise<void> {
  const db = await getDb()
  await db.update(users).set({ passwordHash: upgraded }).where(and(eq(users.id, userId), eq(users.passwordHash, checked)))
}

/** GET /api/me: the user and the access token's claims (needs `profile:read`). */
export async function readMe(input: { caller: AccessClaims }): Promise<Outcome<MeResponse>> {
  const user = await findUserById(input.caller.sub)
  if (!user) return fail('ACCESS_TOKEN_REVOKED')
  return { ok: true, user: userView(user), claims: input.caller }
}
