import net from 'node:net'
import { and, eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { getDb, openDatabase, type Db } from '@/lib/store/db'
import { auditEvents, refreshTokens, sessions } from '@/lib/store/schema'
import { BearerClient, TestClient, expectProblem, signIn } from './support/client'
import { createUser, setupTestApp } from './support/harness'
import { setDbForTests } from './support/seams'

// Issue 10 item 3: a database that is down or hung answers 503 SERVICE_UNAVAILABLE problem+json
// within the pool's bounded waits (lib/store/db.ts), never a 500 and never a hang; a database
// error inside a rotation rolls it back completely.
const app = setupTestApp()

// Accepts connections and never says a word: a Postgres that hangs (SIGSTOP, a dead network path).
let silent: net.Server
let silentPort = 0
const held: net.Socket[] = []
beforeAll(async () => {
  silent = net.createServer((socket) => void held.push(socket))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  silentPort = (silent.address() as net.AddressInfo).port
})
afterAll(async () => {
  for (const socket of held) socket.destroy()
  await new Promise((resolve) => silent.close(resolve))
})

/** Runs `work` with the app's database replaced by a Postgres at `url`. */
async function withDatabaseAt(url: string, work: () => Promise<void>) {
  const handle = await openDatabase({ kind: 'postgres', url })
  setDbForTests(handle)
  try {
    await work()
  } finally {
    setDbForTests({ db: app.db, close: async () => {} })
    await handle.close()
  }
}

async function signedInClients() {
  const user = await createUser(app.db)
  const cli = new BearerClient()
  expect((await cli.login(user.email, user.password)).status).toBe(200)
  const browser = new TestClient()
  await signIn(browser, user.email, user.password)
  return { user, cli, browser }
}

const DEADLINE_MS = 3 * 2_000 // three times the pool's connection timeout: "fast", whatever the machine

describe.each([
  ['down (nothing listens)', () => 'postgres://postgres@127.0.0.1:1/nj'],
  ['hung (accepts, never answers)', () => `postgres://postgres@127.0.0.1:${silentPort}/nj`],
])('a database that is %s', (_name, url) => {
  it('sign-in, refresh, a session read and a navigation that refreshes answer 503, not 500 or a hang', async () => {
    const { user, cli, browser } = await signedInClients()
    browser.cookies.delete('njjwt-at')
    await withDatabaseAt(url(), async () => {
      const started = Date.now()
      const answers = await Promise.all([
        new TestClient().call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } }),
        cli.refresh(),
        cli.call('GET', '/api/auth/session'),
        browser.call('GET', '/dashboard', { gate: true, headers: { accept: 'text/html' } }),
      ])
      expect(Date.now() - started).toBeLessThan(DEADLINE_MS)
      for (const answer of answers) {
        await expectProblem(answer, 503, 'SERVICE_UNAVAILABLE')
        expect(answer.headers.get('retry-after')).toBe('5')
      }
    })
    // Back: the same sessions go on.
    expect((await cli.refresh()).status).toBe(200)
    expect((await cli.get('/api/me')).status).toBe(200)
  })
})

describe('a database error inside a rotation', () => {
  it('rolls it back completely: the family is as before, and its current token still rotates', async () => {
    const { cli } = await signedInClients()
    const sid = decodeJwt(cli.refreshToken).sid as string
    const family = async (db: Db) => ({
      tokens: await db.select().from(refreshTokens).where(eq(refreshTokens.sessionId, sid)).orderBy(refreshTokens.id),
      session: (await db.select().from(sessions).where(eq(sessions.id, sid)))[0],
      refreshed: await db.select().from(auditEvents).where(and(eq(auditEvents.sessionId, sid), eq(auditEvents.event, 'token_refreshed'))),
    })
    const before = await family(app.db)

    // The connection drops while the used token is being marked (after the new token was inserted).
    const db = await getDb()
    const transaction = db.transaction.bind(db)
    const lost = Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' })
    vi.spyOn(db, 'transaction').mockImplementationOnce((run, config) =>
      transaction(
        (tx) =>
          run(
            new Proxy(tx, {
              get: (target, prop, receiver) =>
                prop === 'update'
                  ? (table: unknown) => {
                      if (table === refreshTokens) throw lost
                      return target.update(table as typeof sessions)
                    }
                  : Reflect.get(target, prop, receiver),
            }),
          ),
        config,
      ),
    )
    await expectProblem(await cli.refresh(), 503, 'SERVICE_UNAVAILABLE')
    vi.restoreAllMocks()

    expect(await family(app.db)).toEqual(before)
    expect((await cli.refresh()).status).toBe(200)
  })
})
