import 'server-only'
import { and, asc, desc, eq, gte, inArray } from 'drizzle-orm'
import { TIMELINE_EVENTS, type SessionTimelineResponse, type TimelineEntry, type TimelineEventName } from '@/lib/shared/api-types'
import { fail, type Outcome } from '@/lib/shared/outcome'
import { getDb } from '@/lib/store/db'
import { auditEvents } from '@/lib/store/schema'
import { currentRefreshExpiry } from './sessions'
import type { AccessClaims } from './tokens'

// SPEC §9 "a timeline of this session's refreshes", read back from the audit trail (§8): one entry
// per sign-in, rotation and password change, plus the network/browser flags of §5.

// Of TIMELINE_EVENTS, these issue a new token pair.
const ISSUING: ReadonlySet<string> = new Set(['login_succeeded', 'token_refreshed', 'password_changed'])

export const TIMELINE_LENGTH = 20

/** GET /api/auth/session/timeline: the caller's current session (the access token's `sid`), never another. */
export async function readSessionTimeline(input: { caller: AccessClaims }): Promise<Outcome<SessionTimelineResponse>> {
  const events = await getSessionTimeline(input.caller.sub, input.caller.sid)
  return events ? { ok: true, events } : fail('ACCESS_TOKEN_REVOKED')
}

/**
 * The newest entries of one session, newest first, or null when the session is not a live one of
 * this user. Only ids, times and IPs leave: never a token, hash, fingerprint or user agent.
 */
export async function getSessionTimeline(userId: string, sessionId: string, limit = TIMELINE_LENGTH): Promise<TimelineEntry[] | null> {
  // The signed-in layout has read this session for the same page (React cache): no second read.
  const current = await currentRefreshExpiry(sessionId)
  if (!current || current.session.userId !== userId || current.session.revokedAt) return null
  const db = await getDb()

  const fields = { id: auditEvents.id, at: auditEvents.at, event: auditEvents.event, jti: auditEvents.jti, ip: auditEvents.ip }
  // audit_events_session_idx (session_id, id) serves this; user_id keeps it to the caller's own.
  const ofSession = and(eq(auditEvents.userId, userId), eq(auditEvents.sessionId, sessionId))
  const entries = await db
    .select(fields)
    .from(auditEvents)
    .where(and(ofSession, inArray(auditEvents.event, [...TIMELINE_EVENTS])))
    .orderBy(desc(auditEvents.id))
    .limit(limit)
  if (entries.length === 0) return []
  // The access token's own `token_issued` row follows its cause in the same transaction (lib/auth/issue.ts),
  // and one session's transactions run one after another (the session row is locked), so ids keep that order.
  const issued = await db
    .select(fields)
    .from(auditEvents)
    .where(and(ofSession, eq(auditEvents.event, 'token_issued'), eq(auditEvents.tokenType, 'access'), gte(auditEvents.id, entries.at(-1)!.id)))
    .orderBy(asc(auditEvents.id))

  // Each access token belongs to the nearest cause before it, written at the same instant.
  const jtiOf = new Map<number, string | null>()
  for (const row of issued) {
    const cause = entries.find((entry) => ISSUING.has(entry.event) && entry.id < row.id)
    if (cause && !jtiOf.has(cause.id) && cause.at.getTime() === row.at.getTime()) jtiOf.set(cause.id, row.jti)
  }
  return entries.map((entry) => ({ id: String(entry.id), at: entry.at.toISOString(), event: entry.event as TimelineEventName, jti: jtiOf.get(entry.id) ?? null, ip: entry.ip }))
}
