import { metrics, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api'

// SPEC §8a: what the tokens are doing, counted through OpenTelemetry. Without a meter provider
// (no OTEL_EXPORTER_OTLP_ENDPOINT, instrumentation.ts) the API's no-op meter takes every call and
// nothing leaves the process. The instruments are made from whichever provider is registered
// when they are first used, and again if it changes (a provider set up after the first request).

type Instruments = {
  events: Counter
  signIns: Counter
  failures: Counter
  refreshes: Counter
  graceReplays: Counter
  reuseDetections: Counter
  denylistHits: Counter
  revocations: Counter
  rateLimited: Counter
  refreshDuration: Histogram
}

let made: { provider: MeterProvider; instruments: Instruments } | undefined

function instruments(): Instruments {
  const provider = metrics.getMeterProvider()
  if (made?.provider === provider) return made.instruments
  const meter = provider.getMeter('nj-jwt')
  const instruments: Instruments = {
    events: meter.createCounter('njjwt.audit.events', { description: 'Audit events written, by event' }),
    signIns: meter.createCounter('njjwt.sign_ins', { description: 'Successful sign-ins' }),
    failures: meter.createCounter('njjwt.failures', { description: 'API answers that are a problem, by error code' }),
    refreshes: meter.createCounter('njjwt.refreshes', { description: 'Refresh requests answered 200, by outcome (rotated, replay, not_due)' }),
    graceReplays: meter.createCounter('njjwt.grace_replays', { description: 'Used refresh tokens answered with their sealed successor within the reuse grace' }),
    reuseDetections: meter.createCounter('njjwt.reuse_detections', { description: 'Used refresh tokens presented again after the grace' }),
    denylistHits: meter.createCounter('njjwt.denylist_hits', { description: 'Access tokens refused by the denylist, by status (revoked, stale)' }),
    revocations: meter.createCounter('njjwt.revocations', { description: 'Sessions revoked, by reason' }),
    rateLimited: meter.createCounter('njjwt.rate_limited', { description: 'Requests refused by a rate limit, by limit' }),
    refreshDuration: meter.createHistogram('njjwt.refresh.duration', { description: 'Time to answer a refresh', unit: 'ms' }),
  }
  made = { provider, instruments }
  return instruments
}

/** One audit event (lib/audit.ts): the generic counter and the named one it feeds. */
export function countAuditEvent(event: string, detail: Record<string, unknown> | undefined): void {
  const m = instruments()
  m.events.add(1, { event })
  if (event === 'login_succeeded') m.signIns.add(1)
  else if (event === 'refresh_reuse_detected') m.reuseDetections.add(1)
  else if (event === 'session_revoked') m.revocations.add(1, { reason: String(detail?.reason ?? 'unknown') })
  else if (event === 'rate_limited') m.rateLimited.add(1, { limit: String(detail?.limit ?? 'unknown') })
}

export function countFailure(code: string): void {
  instruments().failures.add(1, { code })
}

export function countDenylistHit(status: 'revoked' | 'stale'): void {
  instruments().denylistHits.add(1, { status })
}

export function recordRefresh(outcome: 'rotated' | 'replay' | 'not_due' | 'refused', durationMs: number): void {
  const m = instruments()
  if (outcome !== 'refused') m.refreshes.add(1, { outcome })
  if (outcome === 'replay') m.graceReplays.add(1)
  m.refreshDuration.record(durationMs, { outcome })
}
