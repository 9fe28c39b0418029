// Applies drizzle/ migrations to the Postgres in DATABASE_URL (or POSTGRES_URL).
// Embedded mode (PGlite) migrates itself on start; this is for real databases (SPEC §1).
import path from 'node:path'
import pg from 'pg'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'

const url = process.env.DATABASE_URL || process.env.POSTGRES_URL
if (!url) {
  console.error('db:migrate needs DATABASE_URL (or POSTGRES_URL). Embedded mode migrates itself.')
  process.exit(1)
}
const client = new pg.Client({ connectionString: url })
await client.connect()
try {
  await migrate(drizzle(client), { migrationsFolder: path.resolve('drizzle') })
  console.log('Migrations applied.')
} finally {
  await client.end()
}
