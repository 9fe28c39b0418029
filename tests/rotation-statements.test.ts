import pg from 'pg'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BearerClient } from './support/client'
import { createUser, setupTestApp, startFakeClock } from './support/harness'

// Issue 11 item 3: what one rotation costs Postgres, counted as the statements node-postgres sends
// (each one a round trip, BEGIN and COMMIT included). Postgres only: PGlite has no wire.
const app = setupTestApp()

afterEach(() => vi.restoreAllMocks())

async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = []
  const query = pg.Client.prototype.query
  vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text
    if (text) sent.push(text.split(/\s+/).slice(0, 3).join(' ').toLowerCase())
    if (text && process.env.SHOW_SQL) console.log(text)
    return (query as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof query)
  await run()
  vi.restoreAllMocks()
  return sent
}

describe.runIf(process.env.DATABASE_URL)('one rotation on Postgres', () => {
  it('is 8 statements in one transaction: the session and its token read and locked together, the user, the writes', async () => {
    const clock = startFakeClock()
    const cli = new BearerClient()
    const user = await createUser(app.db)
    expect((await cli.login(user.email, user.password)).status).toBe(200)
    clock.advance(15 * 60)
    let status = 0
    const sent = await statementsOf(async () => (status = (await cli.refresh()).status))
    expect(status).toBe(200)
    console.log(`one rotation: ${sent.length} statements\n  ${sent.join('\n  ')}`)
    expect(sent.at(0)).toBe('begin')
    expect(sent.at(-1)).toBe('commit')
    expect(sent).toHaveLength(8)
  })
})
