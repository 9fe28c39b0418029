import { describe, expect, inject, it } from 'vitest'
import { sleep } from './support/cluster'
import { auditCount, revokedSessions } from './support/database'
import { serverErrorsSince, logSizes } from './support/logs'
import { enrol, issuedRefreshToken, Person, quantile, uniqueEmail, type Answer } from './support/people'

// Issue 10 "Prove", the soak: SOAK_PEOPLE (60) people for SOAK_S (40) seconds over both instances.
// Each has two "tabs", one on each instance, calling a protected API; when the access token
// (12 s here) is about to expire both tabs refresh at once, each on its own instance, with the same
// refresh token, as two tabs whose cross-tab message crossed would. One rotates, the other gets
// the same successor within the reuse grace. `SOAK_S=300 npm run test:scale` is the long run.
const scale = inject('scale')
const bases = scale.instances.map((instance) => instance.url)
const SECONDS = Number(process.env.SOAK_S ?? 40)
const PEOPLE = Number(process.env.SOAK_PEOPLE ?? 60)
// Refresh this long before expiry: inside AUTH_REFRESH_WINDOW (4 s), so a refresh is never "not due".
const REFRESH_AHEAD_MS = 2_500

type Tally = {
  calls: number
  callMs: number[]
  refreshMs: number[]
  rotations: number
  graceReplays: number
  expiredThenRefreshed: number
  serverErrors: Array<{ status: number; where: string }>
  unexpected: Array<{ status: number; code?: string; where: string }>
  forks: number
}

describe('soak: many people over both instances, refreshing on expiry with racing tabs', () => {
  it(`${PEOPLE} people for ${SECONDS} s: no 5xx, no unexpected 401, every session alive at the end`, async () => {
    expect(PEOPLE).toBeGreaterThanOrEqual(60)
    expect(SECONDS).toBeGreaterThanOrEqual(40)
    const people = Array.from({ length: PEOPLE }, (_, i) => new Person(uniqueEmail(`soak-${i}`), i % 2 ? 'cookie' : 'bearer'))
    await enrol(people, bases)
    const logsAtStart = logSizes(scale.logDir)
    const tally: Tally = { calls: 0, callMs: [], refreshMs: [], rotations: 0, graceReplays: 0, expiredThenRefreshed: 0, serverErrors: [], unexpected: [], forks: 0 }
    const record = (answer: Answer, where: string, allowed: (answer: Answer) => boolean) => {
      if (answer.status >= 500) tally.serverErrors.push({ status: answer.status, where })
      else if (!allowed(answer)) tally.unexpected.push({ status: answer.status, code: answer.code, where })
    }

    const started = Date.now()
    const deadline = started + SECONDS * 1_000
    await Promise.all(people.map((person, i) => livePerson(person, i % 2 === 0 ? bases : [...bases].reverse(), deadline, tally, record)))
    const elapsed = (Date.now() - started) / 1_000

    // Every session is alive at the end, on both instances, and its family never forked.
    const finals = await Promise.all(people.flatMap((person) => bases.map((base) => person.me(base))))
    const sessionIds = people.map((person) => person.sessionId!)
    const revoked = await revokedSessions(scale.databaseUrl, sessionIds)
    const reuseAlarms = await auditCount(scale.databaseUrl, 'refresh_reuse_detected', sessionIds)
    const rotatedInDb = await auditCount(scale.databaseUrl, 'token_refreshed', sessionIds)

    console.log(
      [
        `soak: ${PEOPLE} people (${PEOPLE / 2} bearer, ${PEOPLE / 2} cookie) × 2 tabs on ${bases.length} instances for ${elapsed.toFixed(1)} s`,
        `  protected calls ${tally.calls} (${Math.round(tally.calls / elapsed)}/s), p50 ${Math.round(quantile(tally.callMs, 0.5))} ms, p99 ${Math.round(quantile(tally.callMs, 0.99))} ms`,
        `  refreshes ${tally.rotations} rotations + ${tally.graceReplays} grace replays (${rotatedInDb} token_refreshed in the audit), refresh p50 ${Math.round(quantile(tally.refreshMs, 0.5))} ms, p99 ${Math.round(quantile(tally.refreshMs, 0.99))} ms`,
        `  5xx ${tally.serverErrors.length}, unexpected answers ${tally.unexpected.length}, 401 ACCESS_TOKEN_EXPIRED then refreshed ${tally.expiredThenRefreshed}, forks ${tally.forks}, reuse alarms ${reuseAlarms}, revoked ${revoked.length}`,
      ].join('\n'),
    )

    expect(tally.serverErrors).toEqual([])
    expect(tally.unexpected).toEqual([])
    expect(tally.forks).toBe(0)
    expect(finals.map((answer) => answer.status).filter((status) => status !== 200)).toEqual([])
    expect(revoked).toEqual([])
    expect(reuseAlarms).toBe(0)
    expect(rotatedInDb).toBe(tally.rotations)
    expect(tally.rotations).toBeGreaterThanOrEqual(PEOPLE * Math.floor(SECONDS / 12))
    expect(serverErrorsSince(scale.logDir, logsAtStart)).toEqual([])
  })
})

/** One person's two tabs until `deadline`; a refresh, when due, is raced by both tabs at once. */
async function livePerson(person: Person, [first, second]: string[], deadline: number, tally: Tally, record: (answer: Answer, where: string, allowed: (answer: Answer) => boolean) => void) {
  let racing: Promise<void> | null = null
  const race = () => {
    racing ??= (async () => {
      const presented = person.credentials()
      const answers = await Promise.all([first!, second!].map((base) => person.refresh(base, presented, { adopt: false })))
      for (const answer of answers) {
        tally.refreshMs.push(answer.ms)
        record(answer, 'refresh', (a) => a.status === 200 && a.json?.rotated === true)
      }
      const good = answers.filter((answer) => answer.status === 200 && answer.json?.rotated)
      if (good.length > 0) {
        if (new Set(good.map(issuedRefreshToken)).size > 1) tally.forks += 1
        tally.rotations += 1
        tally.graceReplays += good.length - 1
        person.adopt(good[0]!)
      } else {
        await sleep(500) // counted as unexpected above; do not spin
      }
    })().finally(() => (racing = null))
    return racing
  }
  const tab = async (base: string) => {
    await sleep(Math.random() * 300)
    while (Date.now() < deadline) {
      if (person.dueForRefresh(REFRESH_AHEAD_MS)) {
        await race()
        continue
      }
      const answer = await person.me(base)
      tally.calls += 1
      tally.callMs.push(answer.ms)
      // A call that overtook the refresh on a stalled machine: refreshed and replayed, as the client does.
      if (answer.status === 401 && answer.code === 'ACCESS_TOKEN_EXPIRED') {
        tally.expiredThenRefreshed += 1
        await race()
        continue
      }
      record(answer, `GET /api/me on ${base}`, (a) => a.status === 200)
      await sleep(100 + Math.random() * 300)
    }
  }
  await Promise.all([tab(first!), tab(second!)])
}
