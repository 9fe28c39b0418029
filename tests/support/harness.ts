import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, inject, vi } from 'vitest'
import { hashPassword } from '@/lib/auth/passwords'
import { newUuidV7 } from '@/lib/ids'
import { migratePostgres, openDatabase, type Db } from '@/lib/store/db'
import type { KeyValueStore } from '@/lib/store/kv'
import { users } from '@/lib/store/schema'
import { kvBackends, rateLimiterBackends } from './backends'
import { configureForTests, setDbForTests, setKeySetForTests, setKvForTests, setRateLimiterForTests } from './seams'

// One isolated app per test file (Epic Stack: every worker its own migrated database): in-memory
// PGlite by default; with DATABASE_URL set, a fresh database on that server, dropped afterwards.
// KV: in-process by default; with REDIS_URL set, Redis through the Upstash REST bridge.

export const TEST_ENV = {
  AUTH_ACCESS_TTL: '15m',
  AUTH_REFRESH_TTL: '7d',
  AUTH_REUSE_GRACE: '10s',
  AUTH_EXPIRY_GRACE: '10s',
  AUTH_REFRESH_WINDOW: '120s',
  AUTH_REFRESH_MIN_INTERVAL: '30s',
  // Generous budgets so suites can sign in freely; tests/rate-limits.test.ts sets the real ones.
  AUTH_LOGIN_LIMIT: '1000',
  AUTH_LOGIN_IP_LIMIT: '1000',
  AUTH_REGISTER_LIMIT: '1000',
  AUTH_REFRESH_IP_LIMIT: '1000',
  APP_URL: '',
  AUTH_SIGNING_KEYS: '',
  KV_REST_API_URL: '',
  KV_REST_API_TOKEN: '',
  UPSTASH_REDIS_REST_URL: '',
  UPSTASH_REDIS_REST_TOKEN: '',
  VERCEL: '',
}

export type TestApp = { db: Db; kv: KeyValueStore; backend: string }

export function setupTestApp(env: Record<string, string> = {}): TestApp {
  const app = {} as TestApp
  let cleanup: () => Promise<void> = async () => {}
  beforeAll(async () => {
    const realPg = process.env.DATABASE_URL
    let dbUrl: string | undefined
    if (realPg) {
      const name = `njjwt_test_${randomUUID().replaceAll('-', '')}`
      await adminQuery(realPg, `CREATE DATABASE ${name}`)
      dbUrl = withDatabase(realPg, name)
      await migratePostgres(dbUrl)
      cleanup = () => adminQuery(realPg, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    }
    const config = configureForTests({ ...TEST_ENV, ...env, DATABASE_URL: dbUrl ?? '', POSTGRES_URL: '' })
    const snapshot = inject('pgliteSnapshot')
    const loadDataDir = !realPg && snapshot ? new Blob([await readFile(snapshot)]) : undefined
    const handle = await openDatabase(config.database, { loadDataDir })
    const previous = cleanup
    cleanup = async () => {
      await handle.close()
      await previous()
    }
    setDbForTests(handle)
    setKeySetForTests(undefined)
    const backend = kvBackends().at(-1)!
    app.kv = backend.create()
    app.backend = `${realPg ? 'postgres' : 'pglite'}+${backend.name}`
    setKvForTests(app.kv)
    setRateLimiterForTests(rateLimiterBackends().at(-1)!.create())
    app.db = handle.db
  })
  afterAll(async () => {
    setDbForTests(undefined)
    setKvForTests(undefined)
    setRateLimiterForTests(undefined)
    await cleanup()
  })
  return app
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const { Client } = await import('pg')
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.href
}

/** The fake clock: only Date is faked, so drivers' timers keep running. */
export function startFakeClock(start = Date.parse('2026-01-05T09:00:00Z')) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(start)
  return {
    now: () => Date.now(),
    advance(seconds: number) {
      vi.setSystemTime(Date.now() + seconds * 1000)
    },
  }
}

// Test users share one full-strength argon2id hash per password, made once per file: sign-in then
// verifies as in production, and nothing needs rehashing (lib/auth/passwords.ts needsRehash).
const hashes = new Map<string, Promise<string>>()
const hashOf = (password: string) => {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password))
  return hashes.get(password)!
}
let counter = 0

export async function createUser(db: Db, overrides: { email?: string; password?: string; role?: 'admin' | 'user'; name?: string } = {}) {
  const password = overrides.password ?? 'correct-horse-battery'
  const email = overrides.email ?? `person${++counter}-${randomUUID().slice(0, 6)}@example.test`
  const now = new Date()
  const [user] = await db
    .insert(users)
    .values({ id: newUuidV7(), email, name: overrides.name ?? 'Test Person', role: overrides.role ?? 'user', passwordHash: await hashOf(password), createdAt: now, updatedAt: now })
    .returning()
  return { ...user!, password }
}
