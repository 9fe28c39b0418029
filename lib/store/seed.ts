import { sql } from 'drizzle-orm'
import { hashPassword } from '@/lib/auth/passwords'
import { newUuidV7 } from '@/lib/auth/ids'
import type { Db } from './db'
import { users } from './schema'

// The demo accounts of the embedded default (SPEC §7); with a real database only when SEED_DEMO_USERS=1.
export const DEMO_USERS = [
  { email: 'admin@example.com', password: 'admin-password-1', name: 'Demo Admin', role: 'admin' as const },
  { email: 'user@example.com', password: 'user-password-1', name: 'Demo User', role: 'user' as const },
]

export async function seedDemoUsers(db: Db): Promise<void> {
  const [{ count }] = (await db.select({ count: sql<number>`count(*)::int` }).from(users).where(sql`lower(${users.email}) in ('admin@example.com', 'user@example.com')`)) as [{ count: number }]
  if (count === DEMO_USERS.length) return
  const now = new Date()
  for (const demo of DEMO_USERS) {
    await db
      .insert(users)
      .values({ id: newUuidV7(), email: demo.email, name: demo.name, role: demo.role, passwordHash: await hashPassword(demo.password), createdAt: now, updatedAt: now })
      .onConflictDoNothing()
  }
}
