import 'server-only'
import { auditEvents } from '@/lib/store/schema'
import type { Db, Tx } from '@/lib/store/db'
import type { AuditEvent } from '@/lib/shared/audit-events'

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
}
