import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePortIn, generateSigningKeys, Instance, instanceEnv, migrate, PostgresCluster, recreateDatabase, RedisServer, sleep } from './support/cluster'
import { auditCount } from './support/database'
import { serverErrorsSince } from './support/logs'
import { enrol, issuedRefreshToken, Person, uniqueEmail, type Answer } from './support/people'

// Issue 10 "Prove", faults: Redis stopped and hung, Postgres stopped, an instance killed. This file
// stops things, so it runs on a site of its own: a Redis and a Postgres cluster (initdb in /tmp)
// started here and stopped by their own PID and data directory, and two instances on them. The
// machine's Postgres and Redis are never touched. Access tokens live 60 s here: the faults are
// about storage, not expiry.
const logDir = mkdtempSync(path.join(tmpdir(), 'njjwt-scale-faults-'))
let redis: RedisServer
let pg: PostgresCluster
let A: Instance
let B: Instance
let databaseUrl: string
const people = Array.from({ length: 20 }, (_, i) => new Person(uniqueEmail(`fault-${i}`), i % 2 ? 'cookie' : 'bearer'))
// The bound for Redis faults; "a few seconds" for Postgres (pool connect timeout 2 s).
const REDIS_BOUND_MS = 2_000
const POSTGRES_BOUND_MS = 5_000

beforeAll(async () => {
  // Its own temporary directory: as root, initdb runs as the postgres user, who cannot enter logDir.
  pg = new PostgresCluster(mkdtempSync(path.join(tmpdir(), 'njjwt-scale-pg-')), await freePortIn(5440, 5449))
  await pg.init()
  await pg.start()
  databaseUrl = await recreateDatabase(pg.url(), 'njjwt_scale_faults')
  migrate(databaseUrl)
  redis = await new RedisServer(await freePortIn(6395, 6399)).start()
  const env = instanceEnv({ databaseUrl, redisUrl: redis.url, signingKeys: generateSigningKeys(), extra: { AUTH_ACCESS_TTL: '60s', AUTH_REFRESH_WINDOW: '10s' } })
  const first = await freePortIn(3320, 3328)
  A = new Instance('faults-a', first, env, logDir)
  B = new Instance('faults-b', await freePortIn(first + 1, 3329), env, logDir)
  await Promise.all([A.start(), B.start()])
  await enrol(people, [A.url, B.url])
})

afterAll(async () => {
  await Promise.all([A?.stop(), B?.stop()])
  await redis?.stop()
  await pg?.stop()
  if (pg) rmSync(pg.dir, { recursive: true, force: true })
  if (process.env.SCALE_KEEP_LOGS !== '1') rmSync(logDir, { recursive: true, force: true })
})

/** Asserts 503 SERVICE_UNAVAILABLE problem+json (never a 200, never a 500). */
function expectUnavailable(answer: Answer, where: string) {
  expect({ where, status: answer.status, code: answer.code, type: answer.contentType }).toEqual({ where, status: 503, code: 'SERVICE_UNAVAILABLE', type: 'application/problem+json' })
}

/** Every person's protected call on both instances, in parallel. */
const everyoneOnBoth = () => Promise.all(people.flatMap((person) => [A, B].map((instance) => person.me(instance.url))))

/** Polls until every person is served (200) on both instances; ms it took. Only 503s may come first. */
async function untilServed(timeoutMs: number): Promise<number> {
  const started = performance.now()
  for (;;) {
    const answers = await everyoneOnBoth()
    for (const answer of answers) expect([200, 503]).toContain(answer.status)
    if (answers.every((answer) => answer.status === 200)) return performance.now() - started
    if (performance.now() - started > timeoutMs) throw new Error(`not served ${timeoutMs} ms after recovery: ${answers.map((a) => a.status).join(',')}`)
    await sleep(50)
  }
}

/** New access tokens for everyone (each step starts with tokens that have their whole life). */
async function freshen() {
  await sleep(1_100) // AUTH_REFRESH_MIN_INTERVAL
  const answers = await Promise.all(people.map((person, i) => person.refresh([A, B][i % 2]!.url, person.withoutAccessToken())))
  expect(answers.map((answer) => answer.status)).toEqual(people.map(() => 200))
}

describe('SPEC §6 fail closed: Redis down', () => {
  it('Redis stopped: protected requests are 503 within 2 s on both instances; back, the same sessions work without a restart', async () => {
    await freshen()
    expect((await everyoneOnBoth()).every((answer) => answer.status === 200)).toBe(true)
    const pids = [A.pid, B.pid]

    await redis.stop()
    let slowest = 0
    for (let round = 0; round < 3; round++) {
      const answers = await everyoneOnBoth()
      answers.forEach((answer, i) => expectUnavailable(answer, `round ${round}, call ${i}`))
      slowest = Math.max(slowest, ...answers.map((answer) => answer.ms))
      await sleep(400)
    }
    expect(slowest).toBeLessThan(REDIS_BOUND_MS)
    const refreshWhileDown = await people[0]!.refresh(A.url, people[0]!.withoutAccessToken(), { adopt: false })
    expectUnavailable(refreshWhileDown, 'refresh while Redis is down')

    await redis.start()
    const recovery = await untilServed(10_000)
    expect([A.pid, B.pid]).toEqual(pids) // no restart
    // The refresh refused during the outage took nothing: that token is still the current one.
    const after = await people[0]!.refresh(B.url, people[0]!.withoutAccessToken())
    expect({ status: after.status, rotated: after.json?.rotated }).toEqual({ status: 200, rotated: true })
    console.log(`faults: Redis stopped → slowest of ${people.length * 2 * 3} protected calls ${Math.round(slowest)} ms (all 503); Redis back → every session served again in ${Math.round(recovery)} ms`)
  })

  it('Redis hung (SIGSTOP): 503 within 2 s, never a hang; resumed (SIGCONT), served again', async () => {
    await freshen()
    redis.pause()
    let slowest = 0
    try {
      for (let round = 0; round < 2; round++) {
        const answers = await everyoneOnBoth()
        answers.forEach((answer, i) => expectUnavailable(answer, `hung round ${round}, call ${i}`))
        slowest = Math.max(slowest, ...answers.map((answer) => answer.ms))
      }
    } finally {
      redis.resume()
    }
    expect(slowest).toBeLessThan(REDIS_BOUND_MS)
    const recovery = await untilServed(10_000)
    console.log(`faults: Redis hung → slowest of ${people.length * 2 * 2} protected calls ${Math.round(slowest)} ms (all 503); resumed → served again in ${Math.round(recovery)} ms`)
  })
})

describe('issue 10 build 3: Postgres down is a fast 503, and the family survives it', () => {
  it('Postgres stopped: refresh and sign-in are 503 problem+json, not 500, not a hang; back, the token that was current still rotates', async () => {
    await freshen()
    await sleep(1_100)
    const [bearer, cookie] = [people[2]!, people[3]!]
    const held = [bearer, cookie].map((person) => person.withoutAccessToken())

    await pg.stop()
    const timings: number[] = []
    try {
      for (const instance of [A, B]) {
        for (const [i, person] of [bearer, cookie].entries()) {
          const refreshed = await person.refresh(instance.url, held[i], { adopt: false })
          expectUnavailable(refreshed, `refresh (${person.transport}) on ${instance.name}`)
          timings.push(refreshed.ms)
        }
        const signIn = await new Person(bearer.email, 'bearer').signIn(instance.url)
        expectUnavailable(signIn, `sign-in on ${instance.name}`)
        timings.push(signIn.ms)
        // The gate needs no database; the handler behind it either answers or says 503, never 500.
        const me = await bearer.me(instance.url)
        expect([200, 503]).toContain(me.status)
      }
    } finally {
      await pg.start()
    }
    const slowest = Math.max(...timings)
    expect(slowest).toBeLessThan(POSTGRES_BOUND_MS)

    // Back: the pools drop their dead connections; until then only 503, never a 401.
    const started = performance.now()
    const rotated: Answer[] = []
    for (const [i, person] of [bearer, cookie].entries()) {
      for (;;) {
        const answer = await person.refresh([B, A][i]!.url, held[i])
        if (answer.status === 200) {
          rotated.push(answer)
          break
        }
        expectUnavailable(answer, `refresh after Postgres is back (${person.transport})`)
        if (performance.now() - started > 15_000) throw new Error('refresh not served 15 s after Postgres came back')
        await sleep(100)
      }
    }
    const recovery = performance.now() - started
    expect(rotated.map((answer) => answer.json.rotated)).toEqual([true, true])
    expect(await auditCount(databaseUrl, 'refresh_reuse_detected', [bearer.sessionId!, cookie.sessionId!])).toBe(0)
    for (const person of [bearer, cookie]) expect((await person.me(A.url)).status).toBe(200)
    expect((await new Person(bearer.email, 'bearer').signIn(A.url)).status).toBe(200)
    console.log(`faults: Postgres stopped → refresh and sign-in 503 in ${Math.round(Math.min(...timings))}-${Math.round(slowest)} ms; back → the held tokens rotated after ${Math.round(recovery)} ms`)
  })
})

describe('SPEC §1 several instances: one instance killed under load', () => {
  it('SIGKILL of A with refreshes in flight: B serves every session (a lost answer is replayed within the grace); A restarts and serves them too', async () => {
    await freshen()
    await sleep(1_100)
    let stop = false
    const failures: string[] = []
    // Load on both instances until A dies; afterwards on B only.
    const load = Promise.all(
      people.map(async (person, i) => {
        for (let n = 0; !stop; n++) {
          const target = A.running && (i + n) % 2 === 0 ? A : B
          try {
            const answer = await person.me(target.url)
            if (answer.status !== 200) failures.push(`${target.name}: ${answer.status} ${answer.code}`)
          } catch (error) {
            if (target === B) failures.push(`B: ${String(error)}`) // A's cut connections are the point
          }
          await sleep(30)
        }
      }),
    )
    await sleep(1_000)

    // Every person refreshes on A; A dies while those are in flight.
    const presented = people.map((person) => person.withoutAccessToken())
    const onA = people.map((person, i) => person.refresh(A.url, presented[i], { adopt: false }).catch(() => null))
    await sleep(40) // some reach A's database, some do not
    const killedAt = performance.now()
    await A.kill()
    const lost = (await Promise.all(onA)).filter((answer) => answer === null).length

    // Each person retries on B with the token it holds: a rotation A committed but could not
    // answer comes back as the same successor (the reuse grace); otherwise B rotates it.
    const retried = await Promise.all(people.map((person, i) => person.refresh(B.url, presented[i])))
    expect(retried.map((answer) => answer.status)).toEqual(people.map(() => 200))
    const served = await Promise.all(people.map((person) => person.me(B.url)))
    const allServedMs = performance.now() - killedAt
    expect(served.map((answer) => answer.status)).toEqual(people.map(() => 200))
    stop = true
    await load
    expect(failures).toEqual([])
    expect(new Set(retried.map(issuedRefreshToken)).size).toBe(people.length)

    await A.start()
    const restarted = await Promise.all(people.map((person) => person.me(A.url)))
    expect(restarted.map((answer) => answer.status)).toEqual(people.map(() => 200))
    expect(await auditCount(databaseUrl, 'refresh_reuse_detected', people.map((person) => person.sessionId!))).toBe(0)
    console.log(`faults: A SIGKILLed with ${people.length} refreshes in flight (${lost} answers lost) → B served every session in ${Math.round(allServedMs)} ms; A restarted and serves them`)
  })
})

describe('through all of it', () => {
  it('the instances logged no unhandled error (503s are answers, not crashes)', () => {
    const lines = serverErrorsSince(logDir, new Map())
    if (lines.length > 0) console.log(lines.join('\n'))
    expect(lines.filter((line) => /⨯|Unhandled|uncaught|TypeError|ReferenceError/i.test(line))).toEqual([])
  })
})
