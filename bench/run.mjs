#!/usr/bin/env node
// `npm run bench` (issue 11): builds and starts production servers itself, loads them from this
// process, alternates rounds so the machine's noise hits every variant alike, and writes
// docs/benchmarks.md (+ .svg, + .json). BENCH_QUICK=1 is the short CI mode: two variants, short
// rounds, floors only; it exits non-zero only if a floor is broken. BENCH_ONLY=gate,rotation,
// sign-in,memory,first-load runs some parts (written to bench-results/, not docs/). Everything
// runs on 127.0.0.1, ports 3400-3499, database njjwt_bench (BENCH_PORT_BASE, BENCH_DATABASE and
// BENCH_SCRATCH move them, so a second run can share the machine with CI's); every server is stopped
// by its PID. BENCH_ONLY=metrics (issue 12, never in quick or full mode): ours with metrics off vs on.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { AUTHJS_COOKIE, authjsSessionToken, newSigningKey, recreateDatabase, serverEnv, signIn } from './lib/auth.mjs'
import { measureFirstLoad } from './lib/first-load.mjs'
import { benchGate } from './lib/gate.mjs'
import { evaluateGoals, floorChecks } from './lib/goals.mjs'
import { benchMemory } from './lib/memory.mjs'
import { benchMetrics, startOtlpSink } from './lib/metrics.mjs'
import { writeReport } from './lib/report.mjs'
import { benchRotation } from './lib/rotation.mjs'
import { allocatePort, prepareBuild, ROOT, SCRATCH, startServer } from './lib/servers.mjs'
import { benchSignIn, SIGN_IN_ENV } from './lib/sign-in.mjs'

const QUICK = process.env.BENCH_QUICK === '1'
const ALL_PARTS = ['gate', 'rotation', 'sign-in', 'memory', 'first-load']
// Parts that run only when BENCH_ONLY names them: not in the full run, not in quick mode.
const ONLY_PARTS = ['metrics']
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean)
for (const part of ONLY) if (![...ALL_PARTS, ...ONLY_PARTS].includes(part)) throw new Error(`BENCH_ONLY: unknown part ${part} (${[...ALL_PARTS, ...ONLY_PARTS].join(', ')})`)
if (QUICK && ONLY.some((part) => ONLY_PARTS.includes(part))) throw new Error(`BENCH_ONLY=${ONLY_PARTS.join(',')} does not run in quick mode (BENCH_QUICK=1)`)
const PARTS = ONLY.length ? ONLY : QUICK ? ['gate', 'rotation', 'first-load'] : ALL_PARTS
const VARIANTS = QUICK ? ['noop', 'ours'] : ['none', 'noop', 'jose', 'authjs', 'ours']
const PLAN = QUICK
  ? { gate: { rounds: 5, seconds: 2, connections: 10 }, rotation: { levels: [8], rounds: 2, seconds: 3 }, signIn: { levels: [8], seconds: 5 }, memoryTokens: 20_000, memorySeconds: 240 }
  : { gate: { rounds: 10, seconds: 2, connections: 10 }, metrics: { rounds: 8, seconds: 3, connections: 10 }, rotation: { levels: [1, 8, 32], rounds: 3, seconds: 4 }, signIn: { levels: [1, 8, 32], seconds: 8 }, memoryTokens: 100_000, memorySeconds: 1000 }
const RESULT_FILE = process.env.BENCH_RESULT ?? path.join(ROOT, QUICK || ONLY.length ? 'bench-results/bench.json' : 'docs/benchmarks.json')

const started = Date.now()
const log = (line) => console.log(`[bench ${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${line}`)

function machine() {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  }
}

function migrate(databaseUrl) {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/db-migrate.mjs')], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: 'pipe' })
}

async function withServers(specs, work) {
  const servers = []
  try {
    // One after another: the first seeds the demo accounts into the fresh database.
    for (const spec of specs) servers.push(await startServer({ ...spec, port: allocatePort(), log }))
    return await work(servers)
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}

async function main() {
  log(`${QUICK ? 'quick' : ONLY.length ? 'BENCH_ONLY' : 'full'} mode: ${PARTS.join(', ')}${PARTS.includes('gate') ? `; variants ${VARIANTS.join(', ')}` : ''}`)
  mkdirSync(SCRATCH, { recursive: true })
  const key = await newSigningKey()
  const authSecret = randomBytes(32).toString('base64url')
  const databaseUrl = await recreateDatabase()
  migrate(databaseUrl)
  const env = serverEnv({ signingKeys: key.signingKeys, authSecret, databaseUrl })
  const dirs = { ours: prepareBuild('ours', log) }
  if (PARTS.includes('gate')) for (const variant of VARIANTS) dirs[variant] ??= prepareBuild(variant, log)
  const result = { mode: QUICK ? 'quick' : 'full', parts: PARTS, machine: machine(), plan: PLAN }

  if (PARTS.includes('gate')) {
    const order = ['ours', ...VARIANTS.filter((v) => v !== 'ours')]
    result.gate = await withServers(order.map((variant) => ({ name: `gate-${variant}`, dir: dirs[variant], env })), async (servers) => {
      const session = await signIn(servers[0].url)
      const cookie = `njjwt-at=${session.accessToken}; ${AUTHJS_COOKIE}=${await authjsSessionToken(authSecret, 'bench-user')}`
      const byVariant = VARIANTS.map((variant) => ({ variant, url: servers[order.indexOf(variant)].url }))
      return benchGate({ servers: byVariant, headers: { cookie, 'user-agent': 'njjwt-bench/1' }, ...PLAN.gate, log })
    })
  }

  if (PARTS.includes('metrics')) {
    // The product's meter provider exports every 30 s (lib/telemetry/setup.ts sets exportIntervalMillis
    // itself, so OTEL_METRIC_EXPORT_INTERVAL is not read): the rounds last long enough for several exports.
    const sink = await startOtlpSink()
    log(`metrics: OTLP/HTTP sink on ${sink.url}`)
    try {
      const specs = [
        { name: 'metrics-off', dir: dirs.ours, env },
        { name: 'metrics-on', dir: dirs.ours, env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } },
      ]
      result.metrics = await withServers(specs, async (servers) => {
        // A sign-in on each server: same kind of token, and the "on" server has counted something to export.
        const sessions = await Promise.all(servers.map((server) => signIn(server.url)))
        const cookie = `njjwt-at=${sessions[0].accessToken}`
        const byVariant = [{ variant: 'off', url: servers[0].url }, { variant: 'on', url: servers[1].url }]
        return benchMetrics({ servers: byVariant, headers: { cookie, 'user-agent': 'njjwt-bench/1' }, sink, ...PLAN.metrics, log })
      })
      result.metrics.exports.afterStop = sink.counts.posts
    } finally {
      await sink.close()
    }
    for (const route of Object.values(result.metrics.routes)) log(`metrics: ${route.path} off ${route.off.rps.toFixed(0)} req/s, on ${route.on.rps.toFixed(0)} req/s, on/off ${route.ratio.toFixed(3)} (per-round ${route.roundRatio.toFixed(3)})`)
    log(`metrics: the sink received ${result.metrics.exports.afterStop} exports (${result.metrics.exports.duringRounds} during the ${result.metrics.exports.measuredSeconds} s of rounds)`)
  }

  if (PARTS.includes('rotation')) {
    result.rotation = []
    const pgliteDir = path.join(SCRATCH, 'pglite-data')
    rmSync(pgliteDir, { recursive: true, force: true })
    for (const [store, storeEnv] of [['postgres', env], ['pglite', serverEnv({ signingKeys: key.signingKeys, authSecret, dataDir: pgliteDir })]]) {
      const rows = await withServers([{ name: `rotation-${store}`, dir: dirs.ours, env: storeEnv }], ([server]) => benchRotation({ url: server.url, store, ...PLAN.rotation, log }))
      result.rotation.push(...rows)
    }
  }

  if (PARTS.includes('sign-in')) {
    result.signIn = await withServers([{ name: 'sign-in', dir: dirs.ours, env: { ...env, ...SIGN_IN_ENV }, gc: true }], ([server]) => benchSignIn({ server, ...PLAN.signIn, log }))
  }

  if (PARTS.includes('memory')) {
    result.memory = []
    const run = (name, extra) =>
      withServers([{ name, dir: dirs.ours, env: { ...env, ...extra }, gc: true }], ([server]) => benchMemory({ server, key, tokens: PLAN.memoryTokens, maxSeconds: PLAN.memorySeconds, log }))
    const plain = await run('gate-memory', {})
    result.memory.push({ ...plain, mallocArenaMax: 'default' })
    // glibc gives threads that allocate arenas of their own; MALLOC_ARENA_MAX=2 shows how much of an
    // RSS growth is the allocator's rather than the heap's. Run when the growth passes the goal (or BENCH_ARENA=1).
    if (plain.rssGrowthMiB * 1.048576 > 50 || process.env.BENCH_ARENA === '1') result.memory.push({ ...(await run('gate-memory-arena2', { MALLOC_ARENA_MAX: '2' })), mallocArenaMax: '2' })
  }

  if (PARTS.includes('first-load')) {
    result.firstLoad = measureFirstLoad(dirs.ours)
    log(`first-load: ${Object.entries(result.firstLoad).map(([page, f]) => `${page} ${f.gzipKiB.toFixed(1)} KiB gzipped (${f.files} files)`).join(', ')}`)
  }

  result.floors = floorChecks(result)
  result.goals = evaluateGoals(result)
  result.passed = result.floors.filter((c) => c.ok).length
  result.failed = result.floors.length - result.passed
  result.seconds = Math.round((Date.now() - started) / 1000)

  mkdirSync(path.dirname(RESULT_FILE), { recursive: true })
  writeFileSync(RESULT_FILE, JSON.stringify(result, null, 2) + '\n')
  if (!QUICK && !ONLY.length) await writeReport(result, path.join(ROOT, 'docs'))
  printSummary(result)
  return result.failed === 0
}

function printSummary(result) {
  console.log('\n=== bench summary ===')
  for (const check of result.floors) console.log(`${check.ok ? 'ok  ' : 'FAIL'} floor  ${check.check}: ${check.figure}`)
  for (const g of result.goals) console.log(`${g.met === null ? '?   ' : g.met ? 'met ' : 'miss'} goal   ${g.goal}: ${g.figure}`)
  if (result.firstLoad) for (const [page, f] of Object.entries(result.firstLoad)) console.log(`     first-load JS ${page}: ${f.gzipKiB.toFixed(1)} KiB gzipped`)
  if (result.metrics) for (const route of Object.values(result.metrics.routes)) console.log(`     metrics ${route.path}: off ${route.off.rps.toFixed(0)} req/s, on ${route.on.rps.toFixed(0)} req/s, on/off ${route.ratio.toFixed(3)}; ${result.metrics.exports.afterStop} exports received`)
  console.log(`bench: ${result.passed} floors passed, ${result.failed} failed, in ${result.seconds} s; ${path.relative(ROOT, RESULT_FILE)}`)
}

/** `node bench/run.mjs --report [docs/benchmarks.json]`: the goals, docs/benchmarks.md and .svg again from a run's figures. */
async function rerender(file = path.join(ROOT, 'docs/benchmarks.json')) {
  const result = JSON.parse(readFileSync(file, 'utf8'))
  result.floors = floorChecks(result)
  result.goals = evaluateGoals(result)
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n')
  await writeReport(result, path.dirname(file))
  printSummary(result)
  return true
}

;(process.argv[2] === '--report' ? rerender(process.argv[3]) : main()).then(
  (ok) => process.exit(ok ? 0 : 1),
  (error) => {
    console.error(error)
    process.exit(2)
  },
)
