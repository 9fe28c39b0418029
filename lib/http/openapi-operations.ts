import type { z } from 'zod'
import type { ErrorCode } from '@/lib/shared/error-codes'
import { ActivityQuery, AuditQuery, UsersQuery } from './api-schemas'

// Every operation of SPEC §7, as GET /api/openapi.json describes it (lib/http/openapi.ts builds the
// document from this table and the zod schemas of lib/http/api-schemas.ts). Only what is particular
// to an operation is written here; the errors every operation of a kind can answer (bad body,
// signed out, cross-site, storage down) are added by the builder from `access`, `body` and `csrf`.
// tests/openapi.test.ts checks that every route file under app/api has its operations here and that
// real answers validate against the document.

export type OperationSpec = {
  method: 'get' | 'post' | 'patch' | 'delete'
  /** The path as OpenAPI writes it: `/api/auth/sessions/{id}`. */
  path: string
  operationId: string
  tag: Tag
  summary: string
  description: string
  /** Who may call it (SPEC §7 "who"): anyone, anyone signed in, or a permission. */
  access: 'public' | 'refresh' | 'signedIn' | `${string}:${string}`
  /** The request body: a schema name of components.schemas; `optional` when an empty body is `{}`. */
  body?: { schema: string; optional?: boolean }
  query?: z.ZodObject
  /** Cookie-mode state-changing request: CSRF-checked (SPEC §3). */
  csrf?: boolean
  ok: { status: 200 | 201; schema: string; description: string; setsCookies?: 'sets' | 'clears' }
  /** The codes particular to this operation (the builder adds the common ones). */
  errors: ErrorCode[]
  /** Reads storage (Postgres or KV): 503 SERVICE_UNAVAILABLE when it is down. */
  storage?: false
}

export const TAGS = {
  'Sign-in': 'Registration, sign-in, refresh and sign-out (SPEC §3, §4).',
  Session: 'The caller’s own session and devices.',
  Profile: 'Who the caller is.',
  Admin: 'Users, roles and the audit log, for admins (`users:*`, `audit:read`).',
  Discovery: 'Public documents: the signing keys and this description.',
} as const
type Tag = keyof typeof TAGS

const REFRESH_FAILURES: ErrorCode[] = [
  'REFRESH_TOKEN_MISSING',
  'REFRESH_TOKEN_INVALID',
  'REFRESH_TOKEN_EXPIRED',
  'REFRESH_TOKEN_REUSED',
  'SESSION_REVOKED',
  'SESSION_EXPIRED',
  'DEVICE_MISMATCH',
  'SESSION_ANOMALY',
]

export const OPERATIONS: readonly OperationSpec[] = [
  {
    method: 'post',
    path: '/api/auth/register',
    operationId: 'register',
    tag: 'Sign-in',
    summary: 'Create an account',
    description: 'Password of at least 10 characters. Emails in `AUTH_ADMIN_EMAILS` become `admin`. Always CSRF-checked (registration has no bearer mode). Rate limit: `AUTH_REGISTER_LIMIT` per IP per hour.',
    access: 'public',
    body: { schema: 'RegisterBody' },
    csrf: true,
    ok: { status: 201, schema: 'RegisterAnswer', description: 'The new user.' },
    errors: ['EMAIL_TAKEN', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    tag: 'Sign-in',
    summary: 'Sign in',
    description:
      'Cookie mode (default) sets HttpOnly access, refresh and device-id cookies and answers expiry times only. `"transport": "bearer"` answers `accessToken`, `refreshToken` and `deviceId` in the body and sets no cookie. Without `rememberMe` the session lasts `AUTH_BROWSER_SESSION_MAX_AGE` and the refresh cookie has no Max-Age. Rate limits: `AUTH_LOGIN_LIMIT` failures per email and IP, `AUTH_LOGIN_IP_LIMIT` attempts per IP, per 15 minutes.',
    access: 'public',
    body: { schema: 'LoginBody' },
    csrf: true,
    ok: { status: 200, schema: 'SessionAnswer', description: 'Signed in: the user and the new session (plus the tokens in bearer mode).', setsCookies: 'sets' },
    errors: ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    operationId: 'refresh',
    tag: 'Sign-in',
    summary: 'Rotate the refresh token',
    description:
      'SPEC §4, checks in order: CSRF (cookie mode), the token, the session, rotation state (a replay within `AUTH_REUSE_GRACE` gets the same successor; any other reuse ends the session), device binding, not yet due (`rotated: false` while the access token has more than `AUTH_REFRESH_WINDOW` left), rate limits, then one rotation. Bearer mode sends `{ "refreshToken" }` and `X-Device-Id`; cookie mode sends no body. A failure that ends the session clears the cookies.',
    access: 'refresh',
    body: { schema: 'RefreshBody', optional: true },
    csrf: true,
    ok: { status: 200, schema: 'RefreshAnswer', description: '`rotated: true` with new tokens (cookies, or the body in bearer mode), or `rotated: false` when not yet due.', setsCookies: 'sets' },
    errors: [...REFRESH_FAILURES, 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    tag: 'Sign-in',
    summary: 'Sign out',
    description: 'Revokes the current session and denies its access token at once. Idempotent: whatever is left ends, the cookies are cleared, and the answer is 200 even when signed out. Bearer mode sends the access token and may send `{ "refreshToken" }`.',
    access: 'public',
    body: { schema: 'LogoutBody', optional: true },
    csrf: true,
    ok: { status: 200, schema: 'LogoutAnswer', description: 'Signed out.', setsCookies: 'clears' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/auth/session',
    operationId: 'getSession',
    tag: 'Session',
    summary: 'The current session',
    description: 'The user and this session’s expiry times.',
    access: 'signedIn',
    ok: { status: 200, schema: 'SessionAnswer', description: 'The user and the session.' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/auth/session/timeline',
    operationId: 'getSessionTimeline',
    tag: 'Session',
    summary: 'This session’s timeline',
    description: 'Sign-in, refreshes, password change and flags of the current session, newest first (ids, times, IPs; never a token).',
    access: 'signedIn',
    ok: { status: 200, schema: 'TimelineAnswer', description: 'The events.' },
    errors: [],
  },
  {
    method: 'post',
    path: '/api/auth/password',
    operationId: 'changePassword',
    tag: 'Session',
    summary: 'Change the password',
    description: 'Every other session of the user is revoked and this one gets new tokens. A wrong `currentPassword` is 400 `VALIDATION_FAILED` on that field; wrong guesses are rate-limited like sign-in failures (429).',
    access: 'signedIn',
    body: { schema: 'PasswordBody' },
    csrf: true,
    ok: { status: 200, schema: 'SessionAnswer', description: 'Changed: the user and this session, rotated.', setsCookies: 'sets' },
    errors: ['RATE_LIMITED'],
  },
  {
    method: 'get',
    path: '/api/auth/sessions',
    operationId: 'listSessions',
    tag: 'Session',
    summary: 'My sessions (devices)',
    description: 'The caller’s live sessions with device label, IP, user agent, times and flags; `current` marks this one.',
    access: 'signedIn',
    ok: { status: 200, schema: 'SessionsAnswer', description: 'The sessions.' },
    errors: [],
  },
  {
    method: 'delete',
    path: '/api/auth/sessions/{id}',
    operationId: 'revokeSession',
    tag: 'Session',
    summary: 'Sign out one of my sessions',
    description: 'Revokes one of the caller’s own sessions (its access tokens stop at once). Anyone else’s session is 404, never 403.',
    access: 'signedIn',
    csrf: true,
    ok: { status: 200, schema: 'RevokeOneAnswer', description: 'Revoked (`current` when it was this session).' },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/auth/sessions/revoke-others',
    operationId: 'revokeOtherSessions',
    tag: 'Session',
    summary: 'Sign out all my other sessions',
    description: 'Revokes every session of the caller but this one.',
    access: 'signedIn',
    csrf: true,
    ok: { status: 200, schema: 'RevokedAnswer', description: 'How many were revoked.' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/me',
    operationId: 'getMe',
    tag: 'Profile',
    summary: 'Me and my access token’s claims',
    description: 'The user and the verified claims of the access token of this request.',
    access: 'profile:read',
    ok: { status: 200, schema: 'MeAnswer', description: 'The user and the claims.' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/admin/users',
    operationId: 'listUsers',
    tag: 'Admin',
    summary: 'List users',
    description: 'Users with their role, oldest first, a page at a time (`nextCursor`).',
    access: 'users:read',
    query: UsersQuery,
    ok: { status: 200, schema: 'UsersAnswer', description: 'A page of users.' },
    errors: [],
  },
  {
    method: 'patch',
    path: '/api/admin/users/{id}',
    operationId: 'changeRole',
    tag: 'Admin',
    summary: 'Change a user’s role',
    description: 'Takes effect on the user’s next request: their live access tokens answer 401 `ACCESS_TOKEN_STALE` and the next refresh carries the new claims. The last admin cannot lose the role (400).',
    access: 'users:write',
    body: { schema: 'RoleBody' },
    csrf: true,
    ok: { status: 200, schema: 'UserAnswer', description: 'The user with the new role.' },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/admin/users/{id}/revoke-sessions',
    operationId: 'revokeUserSessions',
    tag: 'Admin',
    summary: 'Sign a user out everywhere',
    description: 'Revokes every session of the user and denies all their tokens issued before now.',
    access: 'users:write',
    csrf: true,
    ok: { status: 200, schema: 'RevokedAnswer', description: 'How many sessions were revoked.' },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/admin/audit',
    operationId: 'listAudit',
    tag: 'Admin',
    summary: 'The audit log',
    description: 'Audit events, newest first, filtered by `userId`, `event`, `from`, `to`; `limit` per page and `cursor` (the previous page’s `nextCursor`).',
    access: 'audit:read',
    query: AuditQuery,
    ok: { status: 200, schema: 'AuditAnswer', description: 'A page of events.' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/admin/activity',
    operationId: 'getActivity',
    tag: 'Admin',
    summary: 'Token activity',
    description: 'Bucketed counts of token events over `range` (`1h`, `24h`, `7d`; anything else 400) for the Activity screen.',
    access: 'audit:read',
    query: ActivityQuery,
    ok: { status: 200, schema: 'ActivityAnswer', description: 'The series, totals and failures.' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApi',
    tag: 'Discovery',
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of this API; an interactive reference is at `/docs/api`.',
    access: 'public',
    ok: { status: 200, schema: 'OpenApiDocument', description: 'The OpenAPI document.' },
    errors: [],
    storage: false,
  },
  {
    method: 'get',
    path: '/.well-known/jwks.json',
    operationId: 'getJwks',
    tag: 'Discovery',
    summary: 'Public signing keys',
    description: 'Every configured ES256 public key (JWK Set, RFC 7517) while it verifies: the first signs, all verify (key rotation).',
    access: 'public',
    ok: { status: 200, schema: 'JwksAnswer', description: 'The JWK Set.' },
    errors: [],
    storage: false,
  },
]
