import { metrics } from '@opentelemetry/api'
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics'
import pino from 'pino'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BearerClient, TestClient, expectProblem, signIn } from './support/client'
import { createUser, setupTestApp, startFakeClock } from './support/harness'
import { setLoggerForTests } from './support/seams'

// SPEC §8a / issue 12 item 1: every token event is counted through OpenTelemetry and logged as
// one JSON line, and neither ever carries a token, a hash or a password.
const app = setupTestApp({ AUTH_LOGIN_LIMIT: '5' })

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE })
  }
  protected override async onShutdown() {}
  protected override async onForceFlush() {}
}

const reader = new TestReader()
const lines: string[] = []
beforeAll(() => {
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
  const sink = new Writable({ write: (chunk, _, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) })
  setLoggerForTests(pino({ level: 'info' }, sink))
})
afterAll(() => {
  metrics.disable()
  setLoggerForTests(undefined)
})

/** Sum of a counter's points whose attributes include `where`. */
async function counted(name: string, where: Record<string, string> = {}): Promise<number> {
  const { resourceMetrics } = await reader.collect()
  let total = 0
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== name) continue
      for (const point of metric.dataPoints as DataPoint<number>[]) {
        if (Object.entries(where).every(([key, value]) => point.attributes[key] === value)) total += point.value
      }
    }
  }
  return total
}

async function histogramCount(name: string): Promise<number> {
  const { resourceMetrics } = await reader.collect()
  const metric = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === name)
  return ((metric?.dataPoints ?? []) as DataPoint<Histogram>[]).reduce((sum, point) => sum + point.value.count, 0)
}

describe('the counters move as the events happen', () => {
  it('sign-ins, failures by code, refreshes, grace replays, reuse, denylist hits, revocations, rate limits, refresh latency', async () => {
    const clock = startFakeClock()
    const secrets: string[] = []
    const user = await createUser(app.db)
    secrets.push(user.password)
    const before = {
      signIns: await counted('njjwt.sign_ins'),
      invalidCredentials: await counted('njjwt.failures', { code: 'INVALID_CREDENTIALS' }),
      rotated: await counted('njjwt.refreshes', { outcome: 'rotated' }),
      replays: await counted('njjwt.grace_replays'),
      reuse: await counted('njjwt.reuse_detections'),
      revokedHits: await counted('njjwt.denylist_hits', { status: 'revoked' }),
      revocations: await counted('njjwt.revocations', { reason: 'refresh_reuse' }),
      rateLimited: await counted('njjwt.rate_limited'),
      durations: await histogramCount('njjwt.refresh.duration'),
    }

    const cli = new BearerClient()
    expect((await cli.login(user.email, user.password)).status).toBe(200)
    expect((await cli.login(user.email, 'wrong-password-1')).status).toBe(401)
    secrets.push(cli.accessToken, cli.refreshToken)
    clock.advance(15 * 60)
    const used = cli.refreshToken
    expect((await cli.refresh()).status).toBe(200)
    secrets.push(cli.accessToken, cli.refreshToken)
    expect((await cli.refresh({ refreshToken: used })).status).toBe(200) // within the grace: the same successor
    clock.advance(60)
    await expectProblem(await cli.refresh({ refreshToken: used }), 401, 'REFRESH_TOKEN_REUSED') // after it: reuse, session revoked
    await expectProblem(await cli.get('/api/me'), 401, 'ACCESS_TOKEN_REVOKED') // the denylist

    const browser = new TestClient()
    for (let i = 0; i < 6; i++) await signIn(browser, user.email, `wrong-password-${i}`)

    expect(await counted('njjwt.sign_ins')).toBe(before.signIns + 1)
    expect(await counted('njjwt.failures', { code: 'INVALID_CREDENTIALS' })).toBeGreaterThanOrEqual(before.invalidCredentials + 5)
    expect(await counted('njjwt.failures', { code: 'REFRESH_TOKEN_REUSED' })).toBeGreaterThanOrEqual(1)
    expect(await counted('njjwt.refreshes', { outcome: 'rotated' })).toBe(before.rotated + 1)
    expect(await counted('njjwt.grace_replays')).toBe(before.replays + 1)
    expect(await counted('njjwt.reuse_detections')).toBe(before.reuse + 1)
    expect(await counted('njjwt.denylist_hits', { status: 'revoked' })).toBe(before.revokedHits + 1)
    expect(await counted('njjwt.revocations', { reason: 'refresh_reuse' })).toBe(before.revocations + 1)
    expect(await counted('njjwt.rate_limited', { limit: 'login_failures' })).toBeGreaterThan(before.rateLimited)
    expect(await histogramCount('njjwt.refresh.duration')).toBe(before.durations + 3)
    expect(await counted('njjwt.audit.events', { event: 'login_failed' })).toBeGreaterThanOrEqual(1)

    // The log: one JSON object per line, the events named, and no secret in any of them.
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    const events = parsed.map((line) => line.event)
    for (const event of ['login_succeeded', 'login_failed', 'token_refreshed', 'refresh_reuse_detected', 'session_revoked', 'rate_limited']) expect(events).toContain(event)
    const reuse = parsed.find((line) => line.event === 'refresh_reuse_detected')!
    expect(reuse).toMatchObject({ level: 40, sessionId: expect.any(String), jti: expect.any(String) })
    const everything = lines.join('\n')
    for (const secret of secrets) {
      expect(everything).not.toContain(secret)
      for (const part of secret.split('.')) if (part.length > 20) expect(everything).not.toContain(part)
    }
  })
})

describe('exporting', () => {
  it('is set up only when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const { configureForTests } = await import('./support/seams')
    const { setUpTelemetry } = await import('@/lib/telemetry/setup')
    const { TEST_ENV } = await import('./support/harness')
    try {
      configureForTests({ ...TEST_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: '' })
      const untouched = metrics.getMeterProvider()
      expect(await setUpTelemetry()).toBe(false)
      expect(metrics.getMeterProvider()).toBe(untouched)
      configureForTests({ ...TEST_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })
      metrics.disable()
      expect(await setUpTelemetry()).toBe(true)
      expect(metrics.getMeterProvider()).toBeInstanceOf(MeterProvider)
    } finally {
      await (metrics.getMeterProvider() as MeterProvider).shutdown?.()
      metrics.disable()
      configureForTests({ ...TEST_ENV })
    }
  })
})
