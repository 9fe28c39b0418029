import { sql } from 'drizzle-orm'
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

const time = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name'),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['admin', 'user'] }).notNull().default('user'),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [uniqueIndex('users_email_unique').on(sql`lower(${t.email})`)],
)

/** One session = one refresh-token family on one device (SPEC §2, §5). */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    rememberMe: boolean('remember_me').notNull(),
    deviceId: text('device_id').notNull(),
    fingerprintHash: text('fingerprint_hash').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    deviceLabel: text('device_label').notNull(),
    flags: jsonb('flags').$type<string[]>().notNull().default([]),
    /** jti of the refresh token that may be used next. */
    currentTokenId: text('current_token_id'),
    createdAt: time('created_at').notNull(),
    lastUsedAt: time('last_used_at').notNull(),
    /** Last rotation (not sign-in): the per-session rotation interval counts from here (§4.7). */
    lastRotatedAt: time('last_rotated_at'),
    expiresAt: time('expires_at').notNull(),
    revokedAt: time('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

/** Only a hash of each refresh token is kept; `successorId` links the family (RFC 9700 §4.14). */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    parentId: text('parent_id'),
    successorId: text('successor_id'),
    /**
     * The successor's tokens, encrypted under a key derived from THIS token's value, so that a
     * replay within the reuse grace answers with the same tokens and a database reader learns nothing.
     */
    successorSealed: text('successor_sealed'),
    issuedAt: time('issued_at').notNull(),
    expiresAt: time('expires_at').notNull(),
    usedAt: time('used_at'),
  },
  (t) => [index('refresh_tokens_session_idx').on(t.sessionId)],
)

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: time('at').notNull(),
    event: text('event').notNull(),
    userId: text('user_id'),
    sessionId: text('session_id'),
    tokenType: text('token_type', { enum: ['access', 'refresh'] }),
    jti: text('jti'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_events_at_idx').on(t.at, t.id),
    index('audit_events_user_idx').on(t.userId, t.at),
    // The dashboard's token timeline: one session's events, newest first.
    index('audit_events_session_idx').on(t.sessionId, t.id),
  ],
)

/**
 * Security events for the webhook endpoint (SPEC §8a), written in the same transaction as their
 * audit row and delivered after commit, at least once (lib/webhooks/outbox.ts). `id` is the
 * Standard Webhooks message id, stable across retries; `dedupeKey` folds a burst into one event.
 */
export const webhookOutbox = pgTable(
  'webhook_outbox',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    dedupeKey: text('dedupe_key'),
    createdAt: time('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: time('next_attempt_at').notNull(),
    lastAttemptAt: time('last_attempt_at'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    deliveredAt: time('delivered_at'),
    failedAt: time('failed_at'),
  },
  (t) => [
    uniqueIndex('webhook_outbox_dedupe_unique').on(t.dedupeKey),
    // The delivery loop's scan: only what is still to send, soonest first.
    index('webhook_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
    index('webhook_outbox_created_idx').on(t.createdAt),
  ],
)

export type UserRow = typeof users.$inferSelect
export type SessionRow = typeof sessions.$inferSelect
export type RefreshTokenRow = typeof refreshTokens.$inferSelect
