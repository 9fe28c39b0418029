import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startRestBridge } from './rest-bridge'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Upstash REST bridge to REDIS_URL; empty when REDIS_URL is not set. */
    kvRestUrl: string
    kvRestToken: string
    /** A migrated, empty PGlite data directory (tar) that each test file's database starts from. */
    pgliteSnapshot: string
    /** REDIS_URL for the TCP backend; empty when not set. */
    redisUrl: string
  }
}

// Reads REDIS_URL directly: this runs in the test runner, outside the app's lib/config.ts.
export default async function globalSetup(project: TestProject) {
  const teardown: Array<() => Promise<void>> = []
  project.provide('pgliteSnapshot', await migratedPgliteSnapshot(teardown))
  const redisUrl = process.env.REDIS_URL
  project.provide('redisUrl', redisUrl ?? '')
  if (redisUrl) {
    const bridge = await startRestBridge({ redisUrl })
    project.provide('kvRestUrl', bridge.url)
    project.provide('kvRestToken', bridge.token)
    teardown.push(() => bridge.close())
  } else {
    project.provide('kvRestUrl', '')
    project.provide('kvRestToken', '')
  }
  return async () => {
    for (const step of teardown) await step()
  }
}

// Creating a PGlite runs initdb inside WASM (several seconds); loading a dump of one that is
// already migrated takes a fraction of that. Each test file still gets its own database.
async function migratedPgliteSnapshot(teardown: Array<() => Promise<void>>): Promise<string> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { drizzle } = await import('drizzle-orm/pglite')
  const { migrate } = await import('drizzle-orm/pglite/migrator')
  const client = new PGlite()
  await migrate(drizzle(client), { migrationsFolder: path.resolve('drizzle') })
  const dump = await client.dumpDataDir('none')
  await client.close()
  const dir = await mkdtemp(path.join(tmpdir(), 'njjwt-pglite-'))
  const file = path.join(dir, 'snapshot.tar')
  await writeFile(file, Buffer.from(await dump.arrayBuffer()))
  teardown.push(() => rm(dir, { recursive: true, force: true }))
  return file
}
