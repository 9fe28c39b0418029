import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

// Production builds of each variant and the servers that run them. A variant other than "ours"
// is a scratch copy of the project under /tmp with bench/proxies/<variant>.ts copied over proxy.ts
// (or proxy.ts removed); the real proxy.ts is never touched. Builds are cached by a hash of the
// sources they were made from, so a second run on the same code builds nothing. Every server is
// started here and stopped by its own PID.

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const SCRATCH = process.env.BENCH_SCRATCH || '/tmp/njjwt-bench'
const NEXT_BIN = 'node_modules/next/dist/bin/next'

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** What a build is made of: every tracked or new file outside the folders the build never reads. */
function sourceFiles() {
  const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  const skipped = /^(bench|docs|tests|e2e|\.ci|scripts)\/|\.test\.tsx?$|\.md$|^(\.gitignore|\.dockerignore|Dockerfile|compose\.yaml|vercel\.json|playwright\.config\.ts|vitest\..*|drizzle\.config\.ts)$/
  return out.split('\n').filter((file) => file && !skipped.test(file) && existsSync(path.join(ROOT, file)))
}

function sourceHash(files, extra = '') {
  const hash = createHash('sha256').update(extra)
  for (const file of files) hash.update(file).update('\0').update(readFileSync(path.join(ROOT, file)))
  return hash.digest('hex').slice(0, 16)
}

function runBuild(dir, log) {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }
  delete env.DATABASE_URL
  delete env.POSTGRES_URL
  const started = Date.now()
  log(`build: next build in ${dir}`)
  execFileSync(process.execPath, [NEXT_BIN, 'build'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 })
  log(`build: done in ${Math.round((Date.now() - started) / 1000)} s`)
}

/**
 * The directory holding a fresh production build of `variant`: the project itself for "ours"
 * (built again only when a source file is newer than .next/BUILD_ID), a cached scratch copy for
 * the others ("none" has no proxy.ts at all).
 */
export function prepareBuild(variant, log) {
  const files = sourceFiles()
  if (variant === 'ours') {
    const buildId = path.join(ROOT, '.next/BUILD_ID')
    const newest = Math.max(...files.map((file) => statSync(path.join(ROOT, file)).mtimeMs))
    if (!existsSync(buildId) || statSync(buildId).mtimeMs < newest) runBuild(ROOT, log)
    else log('build: ours reuses the project\'s .next (newer than every source file)')
    return ROOT
  }
  const proxySource = variant === 'none' ? '' : readFileSync(path.join(ROOT, `bench/proxies/${variant}.ts`), 'utf8')
  const key = sourceHash(files, `${variant}\0${proxySource}`)
  const dir = path.join(SCRATCH, `build-${variant}`)
  const stamp = path.join(dir, '.bench-build-key')
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key && existsSync(path.join(dir, '.next/BUILD_ID'))) {
    log(`build: ${variant} reuses ${dir} (same sources)`)
    return dir
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    copyFileSync(path.join(ROOT, file), path.join(dir, file))
  }
  // Hard links: a real node_modules folder for Turbopack (it refuses a symlink out of the project), in seconds.
  execFileSync('cp', ['-al', path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules')])
  if (variant === 'none') rmSync(path.join(dir, 'proxy.ts'))
  else writeFileSync(path.join(dir, 'proxy.ts'), proxySource)
  runBuild(dir, log)
  writeFileSync(stamp, key)
  return dir
}

// --- servers --------------------------------------------------------------------------------

const living = new Set()
process.once('exit', () => {
  for (const child of living) if (child.exitCode === null) signal(child.pid, 'SIGKILL')
})

function signal(pid, name) {
  try {
    process.kill(pid, name)
  } catch (error) {
    if (error.code !== 'ESRCH') throw error
  }
}

async function answers(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
    await response.arrayBuffer()
    return response.ok
  } catch {
    return false
  }
}

/**
 * `next start` of the build in `dir` on 127.0.0.1:`port`, with only the variables given (nothing
 * of the runner's environment: a stray Upstash variable would win over everything). `gc`: preload
 * bench/lib/gc-on-signal.cjs so `memoryUsage()` reads after a full collection.
 */
export async function startServer({ name, dir, port, env, gc = false, log }) {
  mkdirSync(path.join(SCRATCH, 'logs'), { recursive: true })
  const memFile = path.join(SCRATCH, `mem-${name}.json`)
  const nodeArgs = gc ? ['--expose-gc', '--require', path.join(ROOT, 'bench/lib/gc-on-signal.cjs')] : []
  const child = spawn(process.execPath, [...nodeArgs, NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', BENCH_MEM_FILE: memFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const out = createWriteStream(path.join(SCRATCH, 'logs', `${name}.log`))
  child.stdout.pipe(out)
  child.stderr.pipe(out)
  living.add(child)
  child.once('exit', () => living.delete(child))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 90_000
  while (!(await answers(`${url}/.well-known/jwks.json`))) {
    if (child.exitCode !== null) throw new Error(`${name}: exited with ${child.exitCode} (log: ${SCRATCH}/logs/${name}.log)`)
    if (Date.now() > deadline) throw new Error(`${name}: not ready after 90 s`)
    await sleep(200)
  }
  log?.(`server: ${name} on ${url} (pid ${child.pid})`)
  return {
    name,
    url,
    pid: child.pid,
    /** After a full GC (only with `gc`): process.memoryUsage() in bytes. */
    async memoryUsage() {
      rmSync(memFile, { force: true })
      signal(child.pid, 'SIGUSR2')
      for (let i = 0; i < 100 && !existsSync(memFile); i++) await sleep(50)
      await sleep(50)
      return JSON.parse(readFileSync(memFile, 'utf8'))
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      signal(child.pid, 'SIGTERM')
      const timer = setTimeout(() => signal(child.pid, 'SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** VmRSS and VmHWM (peak) of a process, in MiB. */
export function processMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const mib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024
  return { rssMiB: mib('VmRSS'), peakMiB: mib('VmHWM') }
}

/** Resets VmHWM to the current RSS (Linux: "5" to /proc/PID/clear_refs), so a peak is this phase's own. */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/** Ports BENCH_PORT_BASE…+99 only (default 3400-3499); each call a new one. */
export const PORT_BASE = Number(process.env.BENCH_PORT_BASE || 3400)
if (!Number.isInteger(PORT_BASE) || PORT_BASE < 1024 || PORT_BASE > 65_435) throw new Error(`BENCH_PORT_BASE: not a port between 1024 and 65435: ${process.env.BENCH_PORT_BASE}`)
let nextPort = PORT_BASE
export function allocatePort() {
  if (nextPort > PORT_BASE + 99) throw new Error(`out of bench ports (${PORT_BASE}-${PORT_BASE + 99})`)
  return nextPort++
}
