import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { freePortIn, generateSigningKeys, Instance, instanceEnv, migrate, recreateDatabase, RedisServer, ROOT, SITE_ORIGIN, STANDALONE_SERVER } from './cluster'

export type ScaleCluster = {
  site: string
  databaseUrl: string
  redisUrl: string
  signingKeys: string
  logDir: string
  instances: Array<{ name: string; url: string; pid: number }>
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Two production instances on one Postgres database and one Redis of the suite's own. */
    scale: ScaleCluster
  }
}

// The machine's Postgres (a database of the suite's own on it) and a Redis of the suite's own on
// a port of 6390-6399, so nothing the suite does reaches another engineer's data. Read here, in
// the runner, outside the app's lib/config.ts.
const PG_ADMIN_URL = process.env.SCALE_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const DATABASE = 'njjwt_scale'

export default async function globalSetup(project: TestProject) {
  ensureBuild()
  const logDir = mkdtempSync(path.join(tmpdir(), 'njjwt-scale-'))
  const databaseUrl = await recreateDatabase(PG_ADMIN_URL, DATABASE)
  migrate(databaseUrl)
  const redis = await new RedisServer(await freePortIn(6390, 6394)).start()
  const signingKeys = generateSigningKeys()
  const env = instanceEnv({ databaseUrl, redisUrl: redis.url, signingKeys })
  const first = await freePortIn(3310, 3318)
  const second = await freePortIn(first + 1, 3319)
  const instances = [new Instance('scale-a', first, env, logDir), new Instance('scale-b', second, env, logDir)]
  try {
    await Promise.all(instances.map((instance) => instance.start()))
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop()))
    await redis.stop()
    throw error
  }
  console.log(`scale: ${instances.map((i) => i.url).join(' + ')} on ${DATABASE} and ${redis.url}; logs in ${logDir} (kept with SCALE_KEEP_LOGS=1)`)
  project.provide('scale', {
    site: SITE_ORIGIN,
    databaseUrl,
    redisUrl: redis.url,
    signingKeys,
    logDir,
    instances: instances.map((instance) => ({ name: instance.name, url: instance.url, pid: instance.pid })),
  })
  return async () => {
    await Promise.all(instances.map((instance) => instance.stop()))
    await redis.stop()
    // The instances' logs, kept with SCALE_KEEP_LOGS=1 (to read after a failure).
    if (process.env.SCALE_KEEP_LOGS !== '1') rmSync(logDir, { recursive: true, force: true })
  }
}

/**
 * The standalone server of a production build: built here when missing. Next leaves the static
 * assets (and public/) out of `.next/standalone`, for a CDN to serve; the server serves them only
 * when they are copied in, as the Dockerfile does.
 */
function ensureBuild() {
  if (!existsSync(STANDALONE_SERVER)) {
    console.log('scale: no .next/standalone/server.js, running npm run build')
    const env: Record<string, string | undefined> = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }
    delete env.DATABASE_URL
    delete env.POSTGRES_URL
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: 'inherit' })
  }
  const standalone = path.dirname(STANDALONE_SERVER)
  cpSync(path.join(ROOT, '.next/static'), path.join(standalone, '.next/static'), { recursive: true, force: true })
  if (existsSync(path.join(ROOT, 'public'))) cpSync(path.join(ROOT, 'public'), path.join(standalone, 'public'), { recursive: true, force: true })
  const buildId = readFileSync(path.join(ROOT, '.next/BUILD_ID'), 'utf8').trim()
  console.log(`scale: build ${buildId} (after changing the app, npm run build again)`)
}
