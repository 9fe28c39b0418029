// The audit log's event names (SPEC §8), in a module without server imports so the admin
// screen's filter and the API's validation read the same list.

export const AUDIT_EVENTS = [
  'register',
  'login_succeeded',
  'login_failed',
  'token_issued',
  'token_refreshed',
  // Beyond SPEC §8's list: a used refresh token presented again within the reuse grace, answered
  // with the successor it already has (SPEC §4.8) — counted so the Activity screen can chart it.
  'refresh_replayed',
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
