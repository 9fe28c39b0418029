import 'server-only'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { getConfig } from '@/lib/config'
import * as schema from './schema'
import type { Db, DbHandle } from './types'

export type { Db, DbHandle, Tx } from './types'

const MIGRATIONS = path.join(process.cwd(), 'drizzle')

/**
 * node-postgres for a real Postgres (transactions: refresh rotation needs them), else PGlite:
 * on disk under DATA_DIR for dev/start, in memory for tests, migrated automatically.
 */
export async function openDatabase(database = getConfig().database, options: { loadDataDir?: Blob } = {}): Promise<DbHandle> {
  if (database.kind === 'postgres') {
    const { Pool } = await import('pg')
    const { drizzle } = await import('drizzle-orm/node-postgres')
    // Bounded waits everywhere (issue 10): a hung or unreachable server is a fast 503
    // (lib/store/errors.ts), never a request that hangs or a connection held forever.
    const pool = new Pool({
      connectionString: database.url,
      max: 10,
      connectionTimeoutMillis: 2_000, // to get a connection (connect, or wait for a free one)
      query_timeout: 5_000, // client side: a server that stopped answering
      statement_timeout: 5_000, // server side: one statement, lock waits included
      idle_in_transaction_session_timeout: 10_000, // a transaction whose client went away
      idleTimeoutMillis: 30_000,
      keepAlive: true,
    })
    // An idle client that loses its connection must not crash the process.
    pool.on('error', (error) => console.warn('postgres pool error:', error.message))
    return { db: drizzle(pool, { schema }) as unknown as Db, close: () => pool.end() }
  }
  const { PGlite } = await import('@electric-sql/pglite')
  const { drizzle } = await import('drizzle-orm/pglite')
  const { migrate } = await import('drizzle-orm/pglite/migrator')
  if (database.dir) await mkdir(path.resolve(database.dir), { recursive: true })
  const client = database.dir ? new PGlite(path.resolve(database.dir)) : new PGlite({ loadDataDir: options.loadDataDir })
  const db = drizzle(client, { schema })
  await migrate(db, { migrationsFolder: MIGRATIONS })
  return { db: db as unknown as Db, close: () => client.close() }
}

/** Applies drizzle/ migrations to a real Postgres (npm run db:migrate, tests). */
export async function migratePostgres(url: string): Promise<void> {
  const { Client } = await import('pg')
  const { drizzle } = await import('drizzle-orm/node-postgres')
  const { migrate } = await import('drizzle-orm/node-postgres/migrator')
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS })
  } finally {
    await client.end()
  }
}

const globalDb = globalThis as { __njjwtDb?: Promise<DbHandle> }

/** The process-wide database; PGlite must have exactly one instance per data directory. */
export function getDb(): Promise<Db> {
  globalDb.__njjwtDb ??= openDatabase()
  // A failed start (database down) is retried by the next request, not cached forever.
  globalDb.__njjwtDb.catch(() => {
    globalDb.__njjwtDb = undefined
  })
  return globalDb.__njjwtDb.then((handle) => handle.db)
}
