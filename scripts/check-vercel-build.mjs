// The Vercel build, proven as far as a machine without Vercel allows (issue 10 item 5): the Vercel
// CLI's `vercel build` runs offline in a fresh clone with a local .vercel/project.json and the
// variables a Vercel project would have, then its .vercel/output is checked.
//
//   node scripts/check-vercel-build.mjs [report.json]
//
// Needs the machine's Postgres (postgres://postgres@127.0.0.1:5432/test) for a scratch database
// that `npm run vercel-build` migrates, and the npm registry (the CLI and `npm ci`). Prints one
// line per check and "N passed, M failed"; writes {passed, failed, checks} to report.json.
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir, lstat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { exportJWK, generateKeyPair } from 'jose'
import pg from 'pg'

const VERCEL_CLI = 'vercel@60' // the newest major that installs and runs offline here
const ADMIN_URL = process.env.CHECK_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const reportPath = process.argv[2]
const checks = []
const check = (name, ok, detail = '') => {
  checks.push({ name, ok: Boolean(ok), detail })
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`)
}

const repo = process.cwd()
const work = await mkdtemp(path.join(tmpdir(), 'njjwt-vercel-'))
const database = `njjwt_vercel_${randomBytes(4).toString('hex')}`
const admin = new pg.Client({ connectionString: ADMIN_URL })
await admin.connect()
await admin.query(`CREATE DATABASE ${database}`)
const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).href

try {
  execFileSync('git', ['clone', '--quiet', repo, work])
  await mkdir(path.join(work, '.vercel'))
  const settings = { framework: 'nextjs', installCommand: 'npm ci', buildCommand: 'npm run vercel-build', outputDirectory: null, rootDirectory: null, devCommand: null, nodeVersion: '24.x' }
  await writeFile(path.join(work, '.vercel/project.json'), JSON.stringify({ projectId: 'prj_njjwt_local', orgId: 'team_njjwt_local', settings }))

  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  const jwk = { ...(await exportJWK(privateKey)), kid: 'vercel-build-check', alg: 'ES256', use: 'sig' }
  const secrets = { AUTH_SIGNING_KEYS: JSON.stringify([jwk]), KV_REST_API_TOKEN: `kv-${randomBytes(16).toString('hex')}`, DATABASE_URL: databaseUrl }
  const env = { ...process.env, ...secrets, VERCEL: '1', KV_REST_API_URL: 'https://kv.example.invalid', NEXT_TELEMETRY_DISABLED: '1', CI: '1' }
  for (const name of ['REDIS_URL', 'POSTGRES_URL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN']) delete env[name]

  const started = Date.now()
  const build = spawnSync('npx', ['--yes', VERCEL_CLI, 'build', '--yes'], { cwd: work, env, encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 64 * 1024 * 1024 })
  const log = `${build.stdout}\n${build.stderr}`
  check('vercel build succeeds offline', build.status === 0, `${Math.round((Date.now() - started) / 1000)} s, exit ${build.status}`)
  if (build.status !== 0) console.log(log.split('\n').slice(-40).join('\n'))
  check('the Node major is pinned: no warning that Vercel would pick another', !/will not apply|automatically upgrade/.test(log))

  const output = path.join(work, '.vercel/output')
  const config = JSON.parse(await readFile(path.join(output, 'config.json'), 'utf8').catch(() => '{}'))
  check('Build Output API v3', config.version === 3)

  const functions = path.join(output, 'functions')
  const runtimes = []
  for (const file of await walk(functions)) if (file.endsWith('.vc-config.json')) runtimes.push(JSON.parse(await readFile(file, 'utf8')).runtime)
  const middleware = JSON.parse(await readFile(path.join(functions, '_middleware.func/.vc-config.json'), 'utf8').catch(() => '{}'))
  // engines allows 20.x, 22.x and 24.x (no open range that jumps majors); Vercel supports only 24 of them.
  check('the proxy is a Node function, never edge', /^nodejs24\./.test(middleware.runtime ?? ''), middleware.runtime ?? 'missing')
  check('every function runs on the pinned Node major', runtimes.length > 0 && runtimes.every((runtime) => /^nodejs24\./.test(runtime)), [...new Set(runtimes)].join(', '))

  const routes = (await walk(path.join(repo, 'app'))).filter((file) => file.endsWith('/route.ts'))
  const missing = []
  for (const file of routes) {
    const route = path.relative(path.join(repo, 'app'), path.dirname(file)).split(path.sep).filter((segment) => !/^\(.*\)$/.test(segment)).join('/')
    if (!existsSync(path.join(functions, `${route}.func`))) missing.push(route)
  }
  check(`every route handler of app/ has its function (${routes.length})`, routes.length > 0 && missing.length === 0, missing.join(', '))

  const journal = JSON.parse(await readFile(path.join(repo, 'drizzle/meta/_journal.json'), 'utf8'))
  const migrated = new pg.Client({ connectionString: databaseUrl })
  await migrated.connect()
  const applied = await migrated.query('select count(*)::int as n from drizzle.__drizzle_migrations').then((r) => r.rows[0].n, () => 0)
  await migrated.end()
  check('vercel-build applied the migrations to DATABASE_URL', applied === journal.entries.length, `${applied} of ${journal.entries.length}`)

  const leaks = []
  const needles = [jwk.d, secrets.KV_REST_API_TOKEN, databaseUrl, database]
  for (const dir of [output, path.join(work, '.next')]) {
    for (const file of await walk(dir)) {
      const bytes = await readFile(file)
      for (const needle of needles) if (bytes.includes(needle)) leaks.push(`${path.relative(work, file)} holds ${needle === jwk.d ? 'the private key' : needle.slice(0, 12) + '…'}`)
    }
  }
  check('no secret is baked into the output (.vercel/output and .next)', leaks.length === 0, leaks.slice(0, 3).join('; '))
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {})
  await admin.end()
  await rm(work, { recursive: true, force: true })
}

const passed = checks.filter((c) => c.ok).length
const failed = checks.length - passed
console.log(`${passed} passed, ${failed} failed`)
if (reportPath) await writeFile(reportPath, JSON.stringify({ passed, failed, checks }, null, 2))
process.exit(failed === 0 ? 0 : 1)

/** Every file under `dir` (following no symlinks; skips node_modules). */
async function walk(dir) {
  const files = []
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.name === 'node_modules' || entry.name === 'cache') continue
    if (entry.isDirectory()) files.push(...(await walk(full)))
    else if (entry.isFile() && (await lstat(full)).size < 64 * 1024 * 1024) files.push(full)
  }
  return files
}
