import 'server-only'
import { auditEvents } from '@/lib/store/schema'
import type { Db, Tx } from '@/lib/store/db'
import type { AuditEvent } from '@/lib/shared/audit-events'
import { logEvent } from '@/lib/telemetry/log'
import { countAuditEvent } from '@/lib/telemetry/metrics'
import { enqueueWebhooks } from '@/lib/webhooks/outbox'

// SPEC §8. Written with the transaction of the change it records; token values never, `jti` yes.

export { AUDIT_EVENTS, type AuditEvent } from '@/lib/shared/audit-events'

export type AuditEntry = {
  event: AuditEvent
  at: Date
  userId?: string | null
  sessionId?: string | null
  tokenType?: 'access' | 'refresh' | null
  jti?: string | null
  ip?: string | null
  userAgent?: string | null
  detail?: Record<string, unknown>
}

export async function recordAudit(db: Db | Tx, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  await db.insert(auditEvents).values(
    entries.map((entry) => ({
      at: entry.at,
      event: entry.event,
      userId: entry.userId ?? null,
      sessionId: entry.sessionId ?? null,
      tokenType: entry.tokenType ?? null,
      jti: entry.jti ?? null,
      ip: entry.ip ?? null,
      userAgent: entry.userAgent ?? null,
      detail: entry.detail ?? {},
    })),
  )
  // Security events for the webhook endpoint, in this same transaction (lib/webhooks/outbox.ts).
  await enqueueWebhooks(db, entries)
  for (const entry of entries) {
    countAuditEvent(entry.event, entry.detail)
    const reason = entry.detail?.reason ?? entry.detail?.limit ?? entry.detail?.kind
    logEvent(WARNINGS.has(entry.event) ? 'warn' : 'info', {
      event: entry.event,
      reason: typeof reason === 'string' ? reason : undefined,
      userId: entry.userId,
      sessionId: entry.sessionId,
      tokenType: entry.tokenType,
      jti: entry.jti,
      ip: entry.ip,
    })
  }
}

// What an operator should look at: someone may be attacking a session or an account.
const WARNINGS = new Set<AuditEvent>(['login_failed', 'refresh_reuse_detected', 'device_mismatch', 'anomaly_detected', 'rate_limited'])
