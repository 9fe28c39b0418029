import { sql } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import type { AuditEntry } from '@/lib/audit'
import { authenticate } from '@/lib/auth/access'
import { changeRole } from '@/lib/auth/admin'
import { readClientInfo } from '@/lib/http/client-info'
import { BearerClient, CLI_HEADERS, expectProblem } from './support/client'
import { createUser, setupTestApp, startFakeClock } from './support/harness'

// SPEC §6 "a role change makes the user's current access tokens fail with ACCESS_TOKEN_STALE",
// raced against the two things that mint access tokens: a refresh and a sign-in that read the role
// before the change committed. Each is held inside its transaction (at an audit row it writes)
// while the role change runs; on Postgres the change then really waits for its lock.
const app = setupTestApp()

/** Holds the next transaction that writes an audit row of `event`, right there, until released. */
const hold = vi.hoisted(() => {
  let pending: { event: string; arrived: () => void; release: Promise<void> } | null = null
  return {
    at(event: string) {
      let arrived!: () => void
      let release!: () => void
      const reached = new Promise<void>((resolve) => (arrived = resolve))
      pending = { event, arrived, release: new Promise<void>((resolve) => (release = resolve)) }
      return { reached, release }
    },
    async pass(entries: Array<{ event: string }>) {
      const current = pending
      if (!current || !entries.some((entry) => entry.event === current.event)) return
      pending = null
      current.arrived()
      await current.release
    },
  }
})

vi.mock('@/lib/audit', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/audit')>()
  return {
    ...actual,
    recordAudit: async (db: Parameters<typeof actual.recordAudit>[0], ...entries: AuditEntry[]) => {
      await hold.pass(entries)
      return actual.recordAudit(db, ...entries)
    },
  }
})

/** An admin's PATCH /api/admin/users/{id}, called as the route would, with the request's start time. */
async function changeUserRole(userId: string, role: 'admin' | 'user', nowMs: number) {
  const adminUser = await createUser(app.db, { role: 'admin' })
  const admin = new BearerClient()
  expect((await admin.login(adminUser.email, adminUser.password)).status).toBe(200)
  const caller = await authenticate({ accessToken: admin.accessToken, refreshCookie: false }, Date.now(), 'users:write')
  if (!caller.ok) throw new Error(caller.code)
  return () => changeRole({ caller: caller.claims, userId, role, client: readClientInfo(new Headers(CLI_HEADERS)) }, nowMs)
}

/** On Postgres, until another connection of this database is waiting for a row lock; on PGlite (one connection) a moment. */
async function untilWaitingForALock() {
  if (!app.backend.startsWith('postgres')) return new Promise((resolve) => setTimeout(resolve, 20))
  for (let i = 0; i < 500; i++) {
    const [row] = await app.db
      .select({ n: sql<number>`count(*)::int` })
      .from(sql`pg_stat_activity`)
      .where(sql`datname = current_database() and wait_event_type = 'Lock'`)
    if (row!.n > 0) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('nothing waited for a lock')
}

describe('§6 a role change racing a refresh that already read the old role', () => {
  it('the token that refresh issues is ACCESS_TOKEN_STALE at the gate, and the next refresh carries the new role', async () => {
    const clock = startFakeClock()
    const user = await createUser(app.db)
    const cli = new BearerClient()
    expect((await cli.login(user.email, user.password)).status).toBe(200)
    clock.advance(15 * 60)

    const promote = await changeUserRole(user.id, 'admin', Date.now() - 500)
    const held = hold.at('token_refreshed')
    const refreshing = cli.refresh()
    await held.reached
    // The admin's request started a moment before the refresh's.
    const changing = promote()
    await untilWaitingForALock()
    held.release()
    expect((await refreshing).status).toBe(200)
    await changing
    expect(decodeJwt(cli.accessToken).role).toBe('user')

    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_STALE')
    clock.advance(1)
    expect((await cli.refresh()).status).toBe(200)
    expect(decodeJwt(cli.accessToken).role).toBe('admin')
    expect((await cli.get('/api/admin/users')).status).toBe(200)
  })
})

describe('§6 a sign-in racing a role change that has not committed yet', () => {
  it('waits for it and signs in with the new role (a token with the old one would pass for a whole access lifetime)', async () => {
    const clock = startFakeClock()
    const user = await createUser(app.db, { role: 'admin' })
    await createUser(app.db, { role: 'admin' }) // so the demotion is allowed
    clock.advance(60)

    const demote = await changeUserRole(user.id, 'user', Date.now())
    const held = hold.at('role_changed')
    const changing = demote()
    await held.reached
    clock.advance(1)
    const cli = new BearerClient()
    const signingIn = cli.login(user.email, user.password)
    await untilWaitingForALock()
    held.release()
    await changing
    expect((await signingIn).status).toBe(200)

    expect(decodeJwt(cli.accessToken).role).toBe('user')
    await expectProblem(await cli.get('/api/admin/users'), 403, 'FORBIDDEN')
  })
})
