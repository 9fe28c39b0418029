import { sql } from 'drizzle-orm'
import { newUuidV7 } from '@/lib/ids'
import { DEMO_USERS } from '@/lib/shared/demo-users'
import type { Db } from '@/lib/store/db'
import { users } from '@/lib/store/schema'
import { hashPassword } from './passwords'

// The demo accounts of the embedded default (SPEC §7); with a real database only when SEED_DEMO_USERS=1.

export async function seedDemoUsers(db: Db): Promise<void> {
  const [{ count }] = (await db.select({ count: sql<number>`count(*)::int` }).from(users).where(sql`lower(${users.email}) in (${sql.join(DEMO_USERS.map((demo) => sql`${demo.email}`), sql`, `)})`)) as [{ count: number }]
  if (count === DEMO_USERS.length) return
  const now = new Date()
  for (const demo of DEMO_USERS) {
    await db
      .insert(users)
      .values({ id: newUuidV7(), email: demo.email, name: demo.name, role: demo.role, passwordHash: await hashPassword(demo.password), createdAt: now, updatedAt: now })
      .onConflictDoNothing()
  }
}
