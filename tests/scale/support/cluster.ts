import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'

// The processes of the scale suite (issue 10 "Prove"): production instances of the standalone
// server, a Redis and (for the fault cases) a Postgres cluster, each started here and stopped by
// its own PID or data directory only. Nothing here touches the machine's Postgres on 5432 or its
// Redis on 6379, and nothing is ever stopped by name.

export const ROOT = path.resolve(import.meta.dirname, '../../..')
export const STANDALONE_SERVER = path.join(ROOT, '.next/standalone/server.js')
const PG_BIN = process.env.SCALE_PG_BIN ?? '/usr/lib/postgresql/15/bin'

/** The site's one origin (what a load balancer in front of both instances would be): CSRF and `iss`. */
export const SITE_ORIGIN = 'http://127.0.0.1:3300'

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** The first free port of [from, to]: a crashed earlier run may still hold one. */
export async function freePortIn(from: number, to: number, taken: number[] = []): Promise<number> {
  for (let port = from; port <= to; port++) if (!taken.includes(port) && (await portIsFree(port))) return port
  throw new Error(`no free port in ${from}-${to}`)
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)))
    socket.on('error', () => resolve(false))
  })
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`${what}: the process exited (${child.exitCode ?? child.signalCode})`)
    if (await check()) return
    await sleep(50)
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms`)
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/** Signals one process we started, by its PID; quietly nothing if it is already gone. */
function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}

/** Stops `child` (SIGTERM, then SIGKILL after `graceMs`) and waits for it to exit. */
async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return
  signal(child.pid, 'SIGCONT') // a paused process cannot act on SIGTERM
  signal(child.pid, 'SIGTERM')
  const timer = setTimeout(() => child.pid && signal(child.pid, 'SIGKILL'), graceMs)
  await exited(child)
  clearTimeout(timer)
}

// If the runner dies, what it started must not outlive it.
const living = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of living) if (child.pid && child.exitCode === null) signal(child.pid, 'SIGKILL')
})
function track(child: ChildProcess): ChildProcess {
  living.add(child)
  child.once('exit', () => living.delete(child))
  return child
}

// --- Redis -------------------------------------------------------------------------------------

export class RedisServer {
  child: ChildProcess | null = null
  constructor(readonly port: number) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`
  }
  get pid(): number {
    if (!this.child?.pid) throw new Error('redis is not running')
    return this.child.pid
  }

  async start(): Promise<this> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    this.child = track(child)
    await until(`redis on ${this.port}`, 10_000, () => isListening(this.port), child)
    return this
  }

  /** Down: the process exits, its port refuses connections. */
  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child)
    this.child = null
  }

  /** Hung: the process keeps its sockets open and answers nothing (SIGSTOP), until resume(). */
  pause() {
    signal(this.pid, 'SIGSTOP')
  }
  resume() {
    signal(this.pid, 'SIGCONT')
  }
}

// --- A Postgres cluster of our own (the fault cases stop it) -----------------------------------

/** initdb refuses to run as root: as root the cluster belongs to the `postgres` system user. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
}

export class PostgresCluster {
  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  url(database = 'postgres') {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`
  }

  private run(tool: string, args: string[]) {
    const [command, argv] = asPostgresUser(path.join(PG_BIN, tool), args)
    execFileSync(command, argv, { stdio: 'pipe' })
  }

  async init(): Promise<this> {
    mkdirSync(this.dir, { recursive: true })
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', this.dir])
    this.run('initdb', ['-D', this.dir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'])
    return this
  }

  async start(): Promise<void> {
    // -k: its socket in its own data directory; -h: TCP on loopback only; fsync off (throwaway).
    this.run('pg_ctl', ['-D', this.dir, '-l', path.join(this.dir, 'server.log'), '-w', '-t', '30', '-o', `-p ${this.port} -h 127.0.0.1 -k ${this.dir} -c fsync=off -c max_connections=60`, 'start'])
    await until(`postgres on ${this.port}`, 30_000, () => isListening(this.port))
  }

  /** Stops this cluster only (its own data directory, so its own postmaster PID). */
  async stop(): Promise<void> {
    if (!existsSync(path.join(this.dir, 'postmaster.pid'))) return
    this.run('pg_ctl', ['-D', this.dir, '-w', '-t', '30', '-m', 'fast', 'stop'])
  }

  get pid(): number | null {
    try {
      return Number(readFileSync(path.join(this.dir, 'postmaster.pid'), 'utf8').split('\n')[0])
    } catch {
      return null
    }
  }
}

// --- Instances of the app -------------------------------------------------------------------------

export type InstanceSettings = { databaseUrl: string; redisUrl: string; signingKeys: string; extra?: Record<string, string> }

/**
 * The environment every instance of one site shares (SPEC §1 "several instances"): one Postgres,
 * one Redis, the same signing keys and origin. Lifetimes are short so that a 40-second soak sees
 * several rotations per person. Only these variables: nothing of the runner's own environment
 * (an Upstash variable there would win over REDIS_URL).
 */
export function instanceEnv({ databaseUrl, redisUrl, signingKeys, extra = {} }: InstanceSettings): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    AUTH_SIGNING_KEYS: signingKeys,
    APP_URL: SITE_ORIGIN,
    // The simulated people each come from their own address, as through a reverse proxy.
    AUTH_TRUST_PROXY: '1',
    AUTH_ACCESS_TTL: '12s',
    AUTH_EXPIRY_GRACE: '2s',
    AUTH_REFRESH_WINDOW: '4s',
    AUTH_REFRESH_MIN_INTERVAL: '1s',
    AUTH_PROACTIVE_REFRESH: '3s',
    AUTH_WARNING_BEFORE: '4s',
    AUTH_REFRESH_TTL: '10m',
    AUTH_ADMIN_EMAILS: 'scale-admin@example.test',
    LOG_LEVEL: 'warn',
    ...extra,
  }
}

/** A new private signing key from the project's own generator, as AUTH_SIGNING_KEYS. */
export function generateSigningKeys(): string {
  const jwk = execFileSync(process.execPath, [path.join(ROOT, 'scripts/keys-generate.mjs')], { cwd: ROOT, encoding: 'utf8' }).trim()
  return `[${jwk}]`
}

export function migrate(databaseUrl: string) {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/db-migrate.mjs')], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } as NodeJS.ProcessEnv, stdio: 'pipe' })
}

export class Instance {
  child: ChildProcess | null = null
  constructor(
    readonly name: string,
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
    readonly logDir: string,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`
  }
  get pid(): number {
    if (!this.child?.pid) throw new Error(`${this.name} is not running`)
    return this.child.pid
  }
  get running() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null
  }

  async start(): Promise<this> {
    mkdirSync(this.logDir, { recursive: true })
    const log = createWriteStream(path.join(this.logDir, `${this.name}.log`), { flags: 'a' })
    const child = spawn(process.execPath, [STANDALONE_SERVER], { env: { ...this.env, PORT: String(this.port), HOSTNAME: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout!.pipe(log)
    child.stderr!.pipe(log)
    this.child = track(child)
    await until(`${this.name} on ${this.port}`, 60_000, () => answers(`${this.url}/.well-known/jwks.json`), child)
    return this
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child)
    this.child = null
  }

  /** SIGKILL: no shutdown, no goodbye, connections cut mid-request. */
  async kill(): Promise<void> {
    const child = this.child
    if (!child?.pid) return
    signal(child.pid, 'SIGKILL')
    await exited(child)
    this.child = null
  }

}

/** Resident memory of a process now and at its peak so far (VmRSS, VmHWM of /proc), in MiB. */
export function processMemory(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const mib = (field: string) => Math.round(Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024)
  return { rssMiB: mib('VmRSS'), peakMiB: mib('VmHWM') }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
    await response.arrayBuffer()
    return response.ok
  } catch {
    return false
  }
}

/** Drops and creates `name` on the server of `adminUrl` (a database of the suite's own, never `test`). */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^njjwt_scale\w*$/.test(name)) throw new Error(`refusing to drop ${name}: the suite only owns njjwt_scale* databases`)
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.href
}
