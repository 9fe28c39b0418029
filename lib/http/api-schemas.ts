import { z } from 'zod'
import { ACTIVITY_RANGES, ACTIVITY_SERIES, TIMELINE_EVENTS } from '@/lib/shared/api-types'
import { AUDIT_EVENTS } from '@/lib/shared/audit-events'
import { ERRORS, type ErrorCode } from '@/lib/shared/error-codes'
import { ROLES } from '@/lib/shared/roles'
import { idSchema, newPassword, printable } from './fields'

// The API's shapes (SPEC §7) as zod schemas: the requests the route handlers parse with them, and
// the answers they send, from which lib/http/openapi.ts writes GET /api/openapi.json. One
// definition for both, so the document cannot drift from what is checked.

// --- Requests -------------------------------------------------------------------------------------

export const LoginBody = z.object({
  email: z.string().trim().min(1, 'Enter your email').max(254).pipe(z.email('Enter a valid email address')),
  password: z.string().min(1, 'Enter your password').max(256),
  rememberMe: z.boolean().optional().default(false),
  transport: z.enum(['cookie', 'bearer']).optional().default('cookie'),
})

export const RegisterBody = z.object({
  email: z.email('Enter a valid email address').max(254),
  password: newPassword,
  name: printable.trim().max(100).optional().nullable(),
})

/** Bearer mode sends the refresh token in the body; cookie mode sends none (it is in the cookie). */
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(4096).optional() })
export const LogoutBody = z.object({ refreshToken: z.string().min(1).max(4096).optional() })

export const PasswordBody = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(256),
  newPassword,
})

export const RoleBody = z.object({ role: z.enum(ROLES) })

export const UsersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: idSchema.optional(),
})

export const AuditQuery = z.object({
  userId: idSchema.optional(),
  sessionId: idSchema.optional(),
  event: z.enum(AUDIT_EVENTS).optional(),
  from: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
  to: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{1,18}$/, 'Use the nextCursor of the previous page').transform(Number).optional(),
})

export const ActivityQuery = z.object({ range: z.enum(ACTIVITY_RANGES).default('24h') })

// --- Answers --------------------------------------------------------------------------------------

const time = z.iso.datetime({ offset: true })

export const UserInfo = z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), role: z.string(), permissions: z.array(z.string()) })

export const SessionInfo = z.object({
  id: z.string(),
  accessTokenExpiresAt: time,
  refreshTokenExpiresAt: time,
  expiresAt: time,
  rememberMe: z.boolean(),
})

/** Bearer mode only: the tokens and the device id, in the JSON (SPEC §3). */
const BearerTokens = { accessToken: z.string().optional(), refreshToken: z.string().optional(), deviceId: z.string().optional() }

export const SessionAnswer = z.object({ user: UserInfo, session: SessionInfo, ...BearerTokens })
export const RefreshAnswer = z.object({ rotated: z.boolean(), session: SessionInfo, ...BearerTokens })
export const RegisterAnswer = z.object({ user: UserInfo })
export const LogoutAnswer = z.object({ loggedOut: z.literal(true) })

export const AccessClaims = z.object({
  iss: z.string(),
  aud: z.string(),
  sub: z.string(),
  sid: z.string(),
  jti: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
  type: z.literal('access'),
  role: z.string(),
  permissions: z.array(z.string()),
})
export const MeAnswer = z.object({ user: UserInfo, claims: AccessClaims })

export const DeviceSession = z.object({
  id: z.string(),
  current: z.boolean(),
  deviceLabel: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: time,
  lastUsedAt: time,
  expiresAt: time,
  flags: z.array(z.string()),
})
export const SessionsAnswer = z.object({ sessions: z.array(DeviceSession) })
export const RevokedAnswer = z.object({ revoked: z.number().int().min(0) })
export const RevokeOneAnswer = z.object({ revoked: z.boolean(), current: z.boolean() })

export const TimelineAnswer = z.object({
  events: z.array(z.object({ id: z.string(), at: time, event: z.enum(TIMELINE_EVENTS), jti: z.string().nullable(), ip: z.string().nullable() })),
})

export const UsersAnswer = z.object({ users: z.array(UserInfo.extend({ createdAt: time })), nextCursor: z.string().nullable() })
export const UserAnswer = z.object({ user: UserInfo })

export const AuditAnswer = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      at: time,
      event: z.enum(AUDIT_EVENTS),
      userId: z.string().nullable(),
      // The person's email and the session's device label, for display; null once deleted.
      userEmail: z.string().nullable(),
      sessionId: z.string().nullable(),
      deviceLabel: z.string().nullable(),
      tokenType: z.enum(['access', 'refresh']).nullable(),
      jti: z.string().nullable(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
  nextCursor: z.string().nullable(),
})

const counts = z.object(Object.fromEntries(ACTIVITY_SERIES.map((name) => [name, z.number().int().min(0)])) as Record<(typeof ACTIVITY_SERIES)[number], z.ZodNumber>)
export const ActivityAnswer = z.object({
  range: z.enum(ACTIVITY_RANGES),
  from: time,
  to: time,
  bucketSeconds: z.number().int(),
  buckets: z.array(counts.extend({ at: time })),
  totals: counts,
  failures: z.array(z.object({ event: z.string(), reason: z.string(), count: z.number().int() })),
  topFailedAddresses: z.array(z.object({ ip: z.string(), count: z.number().int() })),
  activeSessions: z.number().int().min(0),
})

/** RFC 9457, as every error answers (SPEC §7). */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]),
  errors: z.record(z.string(), z.array(z.string())).optional(),
})

/** GET /.well-known/jwks.json (SPEC §2): the public ES256 keys, each with its `kid`. */
export const JwksAnswer = z.object({
  keys: z.array(z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string(), kid: z.string(), alg: z.literal('ES256'), use: z.literal('sig') })),
})
