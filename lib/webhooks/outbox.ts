import 'server-only'
import { and, asc, desc, eq, inArray, isNull, lte } from 'drizzle-orm'
import { Webhook } from 'standardwebhooks'
import { getConfig } from '@/lib/config'
import { newUuidV7 } from '@/lib/ids'
import type { AuditEvent } from '@/lib/shared/audit-events'
import { getDb, type Db, type Tx } from '@/lib/store/db'
import { webhookOutbox } from '@/lib/store/schema'
import { getLogger } from '@/lib/telemetry/log'

// Security-event webhooks (SPEC §8a): a transactional outbox. recordAudit (lib/audit.ts) writes a
// row here in the same transaction as the audit row it belongs to, so an event is sent if and only
// if its change committed; delivery runs after, from any instance (rows are claimed FOR UPDATE SKIP
// LOCKED), at least once, signed per Standard Webhooks with the row's id as the stable webhook-id,
// retried with growing pauses until the receiver answers 2xx or the schedule runs out.

/** The audit events sent as themselves. */
const SENT: ReadonlySet<AuditEvent> = new Set(['refresh_reuse_detected', 'session_revoked', 'device_mismatch', 'anomaly_detected', 'password_changed', 'role_changed'])

/** Pauses after each failed attempt (Standard Webhooks' suggested schedule, shortened): then it is given up. */
export const RETRY_SCHEDULE_SECONDS = [5, 30, 120, 600, 1800, 7200, 18000] as const
const BURST_WINDOW_MS = 15 * 60 * 1000
const TIMEOUT_MS = 5_000
/** A claimed row waits this long before another round may take it (its sender died). */
const LEASE_MS = 60_000
const BATCH = 20

type Entry = { event: AuditEvent; at: Date; userId?: string | null; sessionId?: string | null; jti?: string | null; ip?: string | null; detail?: Record<string, unknown> }

/** The payload's data: who and what, never a token, a hash, a password or a user agent. */
function dataOf(entry: Entry): Record<string, unknown> {
  const data: Record<string, unknown> = {}
  if (entry.userId) data.userId = entry.userId
  if (entry.sessionId) data.sessionId = entry.sessionId
  if (entry.jti) data.jti = entry.jti
  if (entry.ip) data.ip = entry.ip
  for (const key of ['reason', 'kind', 'policy', 'from', 'to', 'sessionRevoked', 'role', 'previousRole'] as const) {
    const value = entry.detail?.[key]
    if (typeof value === 'string' || typeof value === 'boolean') data[key] = value
  }
  return data
}

type Row = typeof webhookOutbox.$inferInsert

/** The outbox rows these audit entries call for (none when no webhook is configured). */
function rowsFor(entries: readonly Entry[]): Row[] {
  if (!getConfig().webhook) return []
  const rows: Row[] = []
  for (const entry of entries) {
    let type: string | undefined
    let dedupeKey: string | null = null
    if (SENT.has(entry.event)) type = entry.event
    else if (entry.event === 'rate_limited' && entry.detail?.limit === 'login_failures') {
      // A burst of failed sign-ins: one event per account (or address) per window, however many
      // attempts the lock-out then refuses.
      type = 'login_failed'
      dedupeKey = `login_failed:${entry.userId ?? entry.ip ?? 'unknown'}:${Math.floor(entry.at.getTime() / BURST_WINDOW_MS)}`
    }
    if (!type) continue
    const id = `msg_${newUuidV7(entry.at.getTime())}`
    const payload = { type, timestamp: entry.at.toISOString(), data: { ...dataOf(entry), ...(type === 'login_failed' ? { burst: true } : {}) } }
    rows.push({ id, type, payload, dedupeKey, createdAt: entry.at, nextAttemptAt: entry.at })
  }
  return rows
}

/** recordAudit's part: the rows go in with the audit rows, in the caller's transaction. */
export async function enqueueWebhooks(db: Db | Tx, entries: readonly Entry[]): Promise<void> {
  const rows = rowsFor(entries)
  if (rows.length === 0) return
  await db.insert(webhookOutbox).values(rows).onConflictDoNothing({ target: webhookOutbox.dedupeKey })
  kick()
}

export type DeliveryRound = { attempted: number; delivered: number; failed: number }

/**
 * Sends what is due at `nowMs`. Rows are claimed first, in a short transaction of their own: up to
 * a batch, SKIP LOCKED (instances never take one row at once), each leased for a minute by moving
 * its next attempt on. No transaction stays open while a receiver is slow; an instance that dies
 * mid-send leaves the row to be sent again when its lease ends (at least once). Rows whose
 * transaction has not committed are not visible yet: the next round takes them.
 */
export async function deliverDueWebhooks(nowMs = Date.now()): Promise<DeliveryRound> {
  const target = getConfig().webhook
  const round = { attempted: 0, delivered: 0, failed: 0 }
  if (!target) return round
  const signer = new Webhook(target.secret)
  const db = await getDb()
  const claimed = await db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(webhookOutbox)
      .where(and(isNull(webhookOutbox.deliveredAt), isNull(webhookOutbox.failedAt), lte(webhookOutbox.nextAttemptAt, new Date(nowMs))))
      .orderBy(asc(webhookOutbox.nextAttemptAt))
      .limit(BATCH)
      .for('update', { skipLocked: true })
    if (due.length > 0) {
      await tx
        .update(webhookOutbox)
        .set({ nextAttemptAt: new Date(nowMs + LEASE_MS) })
        .where(inArray(webhookOutbox.id, due.map((row) => row.id)))
    }
    return due
  })
  for (const row of claimed) {
    round.attempted += 1
    const body = JSON.stringify(row.payload)
    const sentAt = new Date(nowMs)
    let status: number | null = null
    let error: string | null = null
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': row.id, 'webhook-timestamp': String(Math.floor(nowMs / 1000)), 'webhook-signature': signer.sign(row.id, sentAt, body) },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
      status = response.status
      await response.body?.cancel()
    } catch (cause) {
      error = cause instanceof Error ? cause.message.slice(0, 200) : 'request failed'
    }
    const attempts = row.attempts + 1
    const ok = status !== null && status >= 200 && status < 300
    const pause = RETRY_SCHEDULE_SECONDS[attempts - 1]
    if (ok) round.delivered += 1
    else if (pause === undefined) round.failed += 1
    await db
      .update(webhookOutbox)
      .set({
        attempts,
        lastAttemptAt: sentAt,
        lastStatus: status,
        lastError: ok ? null : (error ?? `HTTP ${status}`),
        deliveredAt: ok ? sentAt : null,
        failedAt: !ok && pause === undefined ? sentAt : null,
        nextAttemptAt: ok || pause === undefined ? sentAt : new Date(nowMs + pause * 1000),
      })
      .where(eq(webhookOutbox.id, row.id))
    getLogger()[ok ? 'info' : 'warn']({ event: 'webhook_attempt', webhookId: row.id, type: row.type, attempt: attempts, status, error: ok ? undefined : error })
  }
  return round
}

export type WebhookDelivery = {
  id: string
  type: string
  createdAt: string
  attempts: number
  state: 'pending' | 'delivered' | 'failed'
  lastAttemptAt: string | null
  lastStatus: number | null
  lastError: string | null
  nextAttemptAt: string | null
}

/** The admin screen's view: the newest deliveries, with their last attempt. */
export async function listWebhookDeliveries(limit = 50): Promise<{ configured: boolean; items: WebhookDelivery[] }> {
  const db = await getDb()
  const rows = await db.select().from(webhookOutbox).orderBy(desc(webhookOutbox.createdAt)).limit(limit)
  return {
    configured: getConfig().webhook !== null,
    items: rows.map((row) => ({
      id: row.id,
      type: row.type,
      createdAt: row.createdAt.toISOString(),
      attempts: row.attempts,
      state: row.deliveredAt ? 'delivered' : row.failedAt ? 'failed' : 'pending',
      lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
      lastStatus: row.lastStatus,
      lastError: row.lastError,
      nextAttemptAt: row.deliveredAt || row.failedAt ? null : row.nextAttemptAt.toISOString(),
    })),
  }
}

// The worker: started by instrumentation.ts when a webhook is configured. A new row asks for a
// round soon after its transaction (kick); a timer sweeps every few seconds for retries and for
// rows written by other instances. On serverless platforms the sweep runs while an instance lives.
const worker = globalThis as { __njjwtWebhookWorker?: { timer: NodeJS.Timeout; soon: NodeJS.Timeout | null; running: boolean } }

function kick(): void {
  const state = worker.__njjwtWebhookWorker
  if (!state || state.soon) return
  state.soon = setTimeout(() => {
    state.soon = null
    void runRound()
  }, 100)
  state.soon.unref()
}

async function runRound(): Promise<void> {
  const state = worker.__njjwtWebhookWorker
  if (!state || state.running) return
  state.running = true
  try {
    await deliverDueWebhooks()
  } catch (error) {
    getLogger().warn({ event: 'webhook_round_failed', message: (error as Error).message })
  } finally {
    state.running = false
  }
}

export function startWebhookWorker(sweepMs = 5_000): boolean {
  if (!getConfig().webhook || worker.__njjwtWebhookWorker) return false
  const timer = setInterval(() => void runRound(), sweepMs)
  timer.unref()
  worker.__njjwtWebhookWorker = { timer, soon: null, running: false }
  return true
}
