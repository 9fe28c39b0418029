// The JSON the API answers (SPEC §7), one definition for the handlers that build it and the
// browser code that reads it. Type-only and import-free, so it is safe on both sides.
// Times are ISO-8601 UTC strings. Never a token: in cookie mode they stay in HttpOnly cookies (SPEC §3).

export type SessionInfo = {
  id: string
  accessTokenExpiresAt: string
  refreshTokenExpiresAt: string
  /** The absolute end: no refresh can carry the session past it. */
  expiresAt: string
  rememberMe: boolean
}

export type UserInfo = { id: string; email: string; name: string | null; role: string; permissions: string[] }

export type SessionResponse = { user: UserInfo; session: SessionInfo }

export type RefreshResponse = { rotated: boolean; session: SessionInfo }

export type DeviceSession = {
  id: string
  current: boolean
  deviceLabel: string
  ip: string | null
  userAgent: string | null
  createdAt: string
  lastUsedAt: string
  expiresAt: string
  flags: string[]
}

export type SessionsResponse = { sessions: DeviceSession[] }

/** An access token's claims (SPEC §2). */
export type AccessClaims = {
  iss: string
  aud: string
  sub: string
  sid: string
  jti: string
  iat: number
  exp: number
  type: 'access'
  role: string
  permissions: string[]
}

export type MeResponse = { user: UserInfo; claims: AccessClaims }

/** GET /api/auth/session/timeline: the audit events that make an entry (SPEC §8). */
export const TIMELINE_EVENTS = ['login_succeeded', 'token_refreshed', 'password_changed', 'ip_changed', 'anomaly_detected'] as const
export type TimelineEventName = (typeof TIMELINE_EVENTS)[number]

export type TimelineEntry = {
  /** The audit row's id: stable, and a key for lists. */
  id: string
  at: string
  event: TimelineEventName
  /** The `jti` of the access token this entry issued; null for flags. A jti is no secret (§2). */
  jti: string | null
  ip: string | null
}

export type SessionTimelineResponse = { events: TimelineEntry[] }

/** GET /api/admin/activity (SPEC §7, §9 /admin/activity). */
export const ACTIVITY_RANGES = ['1h', '24h', '7d'] as const
export type ActivityRange = (typeof ACTIVITY_RANGES)[number]
export const ACTIVITY_SERIES = ['signIns', 'signInFailures', 'refreshes', 'graceReplays', 'reuseDetections', 'revokedSessions', 'rateLimited'] as const
export type ActivitySeries = (typeof ACTIVITY_SERIES)[number]
export type ActivityBucket = { at: string } & Record<ActivitySeries, number>
export type ActivityResponse = {
  range: ActivityRange
  from: string
  to: string
  bucketSeconds: number
  buckets: ActivityBucket[]
  totals: Record<ActivitySeries, number>
  /** Failures by what they were: the event and its reason or limit. */
  failures: Array<{ event: string; reason: string; count: number }>
  /** Addresses with the most failed sign-ins in the range. */
  topFailedAddresses: Array<{ ip: string; count: number }>
  /** Sessions live now: not revoked, not past their absolute end. */
  activeSessions: number
}
