import http from 'node:http'
import fc from 'fast-check'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { ERRORS } from '../../lib/shared/error-codes'
import { logSizes, serverErrorsSince } from './support/logs'
import { fuzzRequest, type FuzzRequest, type TokenPool } from './support/fuzz-requests'
import { Person, uniqueEmail } from './support/people'

// Issue 10 "Prove", the fuzz: FUZZ_N (10,000) generated requests over every endpoint of SPEC §7,
// in batches of BATCH sent at once, alternating the instances. Every answer is below 500, and
// every /api answer is problem+json (a known code, its own status) or JSON. Seeded: FUZZ_SEED
// replays a run; the seed is printed at the start and in fast-check's report of a failure.
const scale = inject('scale')
const N = Number(process.env.FUZZ_N ?? 10_000)
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
const BATCH = 20
const agent = new http.Agent({ keepAlive: true, maxSockets: BATCH })
afterAll(() => agent.destroy())

type Reply = { status: number; headers: http.IncomingHttpHeaders; text: string }

function send(request: FuzzRequest): Promise<Reply> {
  const { port } = new URL(scale.instances[request.instance]!.url)
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers }
    if (request.body !== undefined) {
      if (request.chunked) headers['transfer-encoding'] = 'chunked'
      else headers['content-length'] = request.body.length
    }
    const outgoing = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent, timeout: 15_000 }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }))
      response.on('error', reject)
    })
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer in 15 s')))
    outgoing.on('error', reject)
    if (request.body && request.chunked) {
      for (let at = 0; at < request.body.length; at += 4_096) outgoing.write(request.body.subarray(at, at + 4_096))
      outgoing.end()
    } else {
      outgoing.end(request.body)
    }
  })
}

/** What is wrong with an answer, or null. */
function verdict(request: FuzzRequest, reply: Reply): string | null {
  if (reply.status >= 500) return `${reply.status}: ${reply.text.slice(0, 200)}`
  if (/\bat \S+ \(.*:\d+:\d+\)|node_modules|\.next\/server/.test(reply.text)) return 'a stack trace or a server path in the body'
  if (!request.path.startsWith('/api/')) return null
  // Headers past Node's 16 KiB (a 5,000-character kid in two cookies and a header): Node's HTTP
  // parser answers 431 itself, before there is a request for the app to see.
  if (reply.status === 431 && reply.text === '') return null
  // Next's router answers a path that is not in canonical form (an empty segment as in
  // `/api/admin/users//revoke-sessions` or `/api/auth/sessions/`, a `..` segment) with a redirect
  // to that form, before any app code runs: not an API answer.
  const pathname = request.path.replace(/\?.*$/, '')
  const canonical = new URL(pathname, 'http://x').pathname.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1')
  if (reply.status === 308 && canonical !== pathname && reply.headers.location?.startsWith(canonical)) return null
  const type = reply.headers['content-type'] ?? ''
  if (request.method === 'HEAD' || reply.status === 204 || reply.status === 304) {
    return reply.text === '' && (type === '' || /^application\/(problem\+)?json/.test(type)) ? null : `HEAD/204 with type "${type}" and ${reply.text.length} bytes`
  }
  let body: unknown
  try {
    body = JSON.parse(reply.text)
  } catch {
    return `${reply.status}, not JSON (${type}): ${reply.text.slice(0, 120)}`
  }
  if (type === 'application/problem+json') {
    const problem = body as { type?: unknown; title?: unknown; status?: unknown; detail?: unknown; code?: unknown }
    const known = typeof problem.code === 'string' && problem.code in ERRORS
    if (!known || problem.status !== reply.status || typeof problem.title !== 'string' || typeof problem.type !== 'string' || typeof problem.detail !== 'string') {
      return `a malformed problem: ${reply.text.slice(0, 200)}`
    }
    return null
  }
  if (type === 'application/json' && reply.status < 400 && typeof body === 'object' && body !== null) return null
  return `${reply.status} with type "${type}"`
}

describe('fuzz: every endpoint of SPEC §7, with mutated tokens', () => {
  it(`${N} generated requests over both instances: no 5xx, every /api answer problem+json or JSON`, async () => {
    console.log(`fuzz: seed ${SEED} (FUZZ_SEED=${SEED} FUZZ_N=${N} replays this run)`)
    const logsAtStart = logSizes(scale.logDir)
    const bases = scale.instances.map((instance) => instance.url)
    let pool: TokenPool = await signInPool(bases)
    const statuses = new Map<number, number>()
    let sent = 0
    let runs = 0
    const started = performance.now()

    await fc.assert(
      fc.asyncProperty(fc.array(fuzzRequest(() => pool), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        // Fresh sessions now and then: the fuzz signs out, revokes and reuses the ones it has.
        if (++runs % 100 === 0) pool = await signInPool(bases)
        const replies = await Promise.all(batch.map((request) => send(request).catch((error: Error) => ({ status: 599, headers: {}, text: `no answer: ${error.message}` }))))
        sent += batch.length
        const wrong: string[] = []
        replies.forEach((reply, i) => {
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
          const problem = verdict(batch[i]!, reply)
          if (problem) wrong.push(`${String((batch[i] as unknown as Record<symbol, () => string>)[fc.toStringMethod]?.() ?? batch[i]!.label)}\n  → ${problem}`)
        })
        if (wrong.length > 0) throw new Error(`seed ${SEED}:\n${wrong.join('\n').slice(0, 4_000)}`)
      }),
      { seed: SEED, numRuns: Math.ceil(N / BATCH), endOnFailure: true },
    )

    const seconds = (performance.now() - started) / 1_000
    const histogram = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ')
    console.log(`fuzz: ${sent} requests in ${seconds.toFixed(1)} s (seed ${SEED}); statuses ${histogram}`)
    expect(sent).toBeGreaterThanOrEqual(N)
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([])
    expect(serverErrorsSince(scale.logDir, logsAtStart)).toEqual([])
  })
})

/** Real sessions whose tokens the fuzz presents as they are and mutated: a user in each transport and an admin. */
async function signInPool(bases: string[]): Promise<TokenPool> {
  const people = [new Person(uniqueEmail('fuzz-user'), 'bearer'), new Person(uniqueEmail('fuzz-user'), 'cookie'), new Person('scale-admin@example.test', 'bearer')]
  for (const [i, person] of people.entries()) {
    const registered = await person.register(bases[i % 2]!)
    expect([201, 409]).toContain(registered.status)
    const signedIn = await person.signIn(bases[(i + 1) % 2]!)
    expect(signedIn.status).toBe(200)
  }
  const jar = people[1]!.cookies
  const cookie = (suffix: string) => [...jar].find(([name]) => name.endsWith(suffix))!
  return {
    access: [people[0]!.accessToken!, cookie('-at')[1], people[2]!.accessToken!],
    refresh: [people[0]!.refreshToken!, cookie('-rt')[1], people[2]!.refreshToken!],
    deviceIds: [people[0]!.deviceId!, cookie('-did')[1], people[2]!.deviceId!],
    userIds: people.map((person) => person.userId!),
    sessionIds: people.map((person) => person.sessionId!),
    cookieNames: { access: cookie('-at')[0], refresh: cookie('-rt')[0], device: cookie('-did')[0] },
  }
}
