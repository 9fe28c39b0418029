import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '@/lib/config'
import { webhookOutbox } from '@/lib/store/schema'
import { RETRY_SCHEDULE_SECONDS, deliverDueWebhooks, listWebhookDeliveries } from '@/lib/webhooks/outbox'
import { BearerClient, TestClient, expectProblem, signIn } from './support/client'
import { TEST_ENV, createUser, setupTestApp, startFakeClock } from './support/harness'
import { kvWithFailingWrites } from './support/kv-faults'
import { configureForTests, setKvForTests } from './support/seams'

// SPEC §8a security-event webhooks: an outbox row in the same transaction as the audit row,
// delivered after commit, signed per Standard Webhooks, retried with backoff, at least once with a
// stable id. A real HTTP receiver on 127.0.0.1 that can be told to fail.
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`
const app = setupTestApp({ AUTH_LOGIN_LIMIT: '3' })

type Received = { headers: Record<string, string>; body: string; answered: number }
const received: Received[] = []
let failNext = 0
let receiver: http.Server

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      const answered = failNext > 0 ? 503 : 204
      if (failNext > 0) failNext -= 1
      received.push({ headers: request.headers as Record<string, string>, body, answered })
      response.writeHead(answered).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const { port } = receiver.address() as AddressInfo
  configureForTests({ ...TEST_ENV, AUTH_LOGIN_LIMIT: '3', WEBHOOK_URL: `http://127.0.0.1:${port}/hooks`, WEBHOOK_SECRET: SECRET })
})
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve))
})
beforeEach(async () => {
  received.length = 0
  failNext = 0
  await app.db.delete(webhookOutbox)
})

async function reuseDetected(clock: ReturnType<typeof startFakeClock>) {
  const user = await createUser(app.db)
  const cli = new BearerClient()
  await cli.login(user.email, user.password)
  clock.advance(15 * 60)
  const used = cli.refreshToken
  expect((await cli.refresh()).status).toBe(200)
  clock.advance(60)
  await expectProblem(await cli.refresh({ refreshToken: used }), 401, 'REFRESH_TOKEN_REUSED')
  return { user, cli, used }
}

describe('a security event', () => {
  it('a reuse detection arrives once, signed, after the receiver was down for the first two attempts', async () => {
    const clock = startFakeClock()
    const { user, cli, used } = await reuseDetected(clock)
    failNext = 2
    const t0 = Date.now()
    expect(await deliverDueWebhooks(t0)).toMatchObject({ attempted: 2, delivered: 0 }) // reuse + session_revoked, both refused
    expect(await deliverDueWebhooks(t0 + 1_000)).toMatchObject({ attempted: 0 }) // backing off
    expect(await deliverDueWebhooks(t0 + RETRY_SCHEDULE_SECONDS[0] * 1000)).toMatchObject({ attempted: 2, delivered: 2 })
    expect(await deliverDueWebhooks(t0 + 3_600_000)).toMatchObject({ attempted: 0 }) // delivered: never again

    const reuse = received.filter((r) => JSON.parse(r.body).type === 'refresh_reuse_detected')
    expect(reuse.map((r) => r.answered)).toEqual([503, 204])
    expect(new Set(reuse.map((r) => r.headers['webhook-id'])).size).toBe(1) // one stable id across retries
    expect(reuse[0]!.headers['webhook-id']).toMatch(/^msg_[0-9a-f-]{36}$/)
    const delivered = reuse[1]!
    const payload = new Webhook(SECRET).verify(delivered.body, delivered.headers) as { type: string; timestamp: string; data: Record<string, unknown> }
    expect(payload).toMatchObject({ type: 'refresh_reuse_detected', data: { userId: user.id, sessionId: expect.any(String) } })
    // Forged or altered: the receiver's check fails.
    expect(() => new Webhook(SECRET).verify(delivered.body.replace(user.id, 'someone-else'), delivered.headers)).toThrow()
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(delivered.body, delivered.headers)).toThrow()
    // No token or user agent in anything sent.
    const everything = received.map((r) => r.body).join('\n')
    for (const secret of [used, cli.refreshToken, cli.accessToken, 'nj-cli']) expect(everything).not.toContain(secret)
    expect(received.filter((r) => JSON.parse(r.body).type === 'session_revoked')).toHaveLength(2)

    const { items } = await listWebhookDeliveries()
    expect(items.map((item) => [item.type, item.state, item.attempts, item.lastStatus]).sort()).toEqual([
      ['refresh_reuse_detected', 'delivered', 2, 204],
      ['session_revoked', 'delivered', 2, 204],
    ])
  })

  it('whose change rolled back is never sent: the outbox row goes with the transaction', async () => {
    const clock = startFakeClock()
    const user = await createUser(app.db)
    const cli = new BearerClient()
    await cli.login(user.email, user.password)
    clock.advance(15 * 60)
    const used = cli.refreshToken
    await cli.refresh()
    clock.advance(60)
    const faulty = kvWithFailingWrites(app.kv)
    setKvForTests(faulty.store)
    faulty.failWrites(true)
    try {
      await expectProblem(await cli.refresh({ refreshToken: used }), 503, 'SERVICE_UNAVAILABLE')
    } finally {
      setKvForTests(app.kv)
    }
    expect(await app.db.select().from(webhookOutbox)).toEqual([])
    expect(await deliverDueWebhooks(Date.now())).toMatchObject({ attempted: 0 })
    expect(received).toEqual([])
  })

  it('a burst of failed sign-ins is one login_failed event, however many attempts the lock-out refuses', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient()
    for (let i = 0; i < 7; i++) await signIn(browser, user.email, `wrong-password-${i}`)
    const rows = await app.db.select().from(webhookOutbox).where(eq(webhookOutbox.type, 'login_failed'))
    expect(rows).toHaveLength(1)
    await deliverDueWebhooks(Date.now())
    const [event] = received.map((r) => JSON.parse(r.body))
    expect(event).toMatchObject({ type: 'login_failed', data: { burst: true } })
    expect(received).toHaveLength(1)
  })

  it('is given up after the retry schedule, and the admin view says so', async () => {
    const clock = startFakeClock()
    await reuseDetected(clock)
    failNext = 1_000
    let at = Date.now()
    for (let attempt = 0; attempt <= RETRY_SCHEDULE_SECONDS.length; attempt++) {
      await deliverDueWebhooks(at)
      at += (RETRY_SCHEDULE_SECONDS[attempt] ?? 0) * 1000 + 1
    }
    const { items } = await listWebhookDeliveries()
    expect(items.map((item) => [item.state, item.attempts, item.lastStatus, item.lastError])).toEqual([
      ['failed', RETRY_SCHEDULE_SECONDS.length + 1, 503, 'HTTP 503'],
      ['failed', RETRY_SCHEDULE_SECONDS.length + 1, 503, 'HTTP 503'],
    ])
    expect(await deliverDueWebhooks(at + 86_400_000)).toMatchObject({ attempted: 0 })
  })
})

describe('WEBHOOK_URL and WEBHOOK_SECRET', () => {
  it('go together, and the secret is a Standard Webhooks secret', () => {
    expect(loadConfig({ WEBHOOK_URL: 'https://hooks.example.com/x', WEBHOOK_SECRET: SECRET }).webhook).toEqual({ url: 'https://hooks.example.com/x', secret: SECRET })
    expect(loadConfig({}).webhook).toBeNull()
    expect(() => loadConfig({ WEBHOOK_URL: 'https://hooks.example.com/x' })).toThrow(/WEBHOOK_SECRET/)
    expect(() => loadConfig({ WEBHOOK_SECRET: SECRET })).toThrow(/WEBHOOK_URL/)
    for (const bad of ['secret', 'whsec_short', Buffer.alloc(32).toString('base64')]) expect(() => loadConfig({ WEBHOOK_URL: 'https://h.example', WEBHOOK_SECRET: bad })).toThrow(ConfigError)
    expect(() => loadConfig({ WEBHOOK_URL: 'ftp://h.example', WEBHOOK_SECRET: SECRET })).toThrow(/WEBHOOK_URL/)
  })
})
