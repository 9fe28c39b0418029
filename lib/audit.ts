import 'server-only'
import { auditEvents } from '@/lib/store/schema'
import type { Db, Tx } from '@/lib/store/db'

// SPEC §8. Written with the transaction of the change it records; token values never, `jti` yes.

export const AUDIT_EVENTS = [
  'register',
  'login_succeeded',
  'login_failed',
  'token_issued',
  'token_refreshed',
  'refresh_reuse_detected',
  'token_revoked',
  'session_revoked',
  'logout',
  'password_changed',
  'role_changed',
  'device_mismatch',
  'anomaly_detected',
  'ip_changed',
  'rate_limited',
] as const
export type AuditEvent = (typeof AUDIT_EVENTS)[number]

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
