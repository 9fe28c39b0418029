import { z } from 'zod'

// The only module that reads process.env (SPEC §1). Everything else asks getConfig().

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

/** `30s`, `15m`, `12h`, `7d` or a bare number of seconds → seconds. */
export function parseDuration(input: string): number | null {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(input)
  if (!match) return null
  const seconds = Number(match[1]) * (match[2] ? UNITS[match[2]]! : 1)
  return Number.isSafeInteger(seconds) ? seconds : null
}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const seconds = parseDuration(value)
      if (seconds === null) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration like 30s, 15m, 12h, 7d or a number of seconds` })
        return z.NEVER
      }
      return seconds
    })

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback)
const flag = z
  .enum(['1', '0', 'true', 'false', ''])
  .optional()
  .transform((value) => value === '1' || value === 'true')
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined))

function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value
  } catch {
    return false
  }
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  VERCEL: optionalString,
  APP_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  DATABASE_URL: optionalString,
  POSTGRES_URL: optionalString,
  KV_REST_API_URL: optionalString,
  KV_REST_API_TOKEN: optionalString,
  UPSTASH_REDIS_REST_URL: optionalString,
  UPSTASH_REDIS_REST_TOKEN: optionalString,
  REDIS_URL: optionalString.refine((value) => value === undefined || /^rediss?:\/\//.test(value), 'use a redis:// or rediss:// URL'),
  AUTH_SIGNING_KEYS: optionalString,
  AUTH_ISSUER: optionalString,
  AUTH_AUDIENCE: optionalString,
  AUTH_ACCESS_TTL: duration('15m'),
  AUTH_REFRESH_TTL: duration('7d'),
  AUTH_SESSION_MAX_AGE: duration('30d'),
  AUTH_BROWSER_SESSION_MAX_AGE: duration('12h'),
  AUTH_EXPIRY_GRACE: duration('10s'),
  AUTH_REUSE_GRACE: duration('10s'),
  AUTH_REFRESH_WINDOW: duration('120s'),
  AUTH_REFRESH_MIN_INTERVAL: duration('30s'),
  AUTH_REFRESH_IP_LIMIT: count(60),
  AUTH_LOGIN_LIMIT: count(5),
  AUTH_LOGIN_IP_LIMIT: count(100),
  AUTH_REGISTER_LIMIT: count(10),
  AUTH_PROACTIVE_REFRESH: duration('60s'),
  AUTH_WARNING_BEFORE: duration('120s'),
  AUTH_UA_POLICY: z.enum(['block', 'flag']).default('block'),
  AUTH_IP_POLICY: z.enum(['block', 'flag']).default('flag'),
  AUTH_TRUST_PROXY: flag,
  AUTH_ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
  // SPEC §3: exact origins of bearer-mode browser clients, comma-separated; never `*`, never cookies.
  CORS_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .refine((origins) => origins.every(isExactOrigin), 'list exact origins such as https://app.example.com (scheme, host, optional port; no path, no trailing slash, no *)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional().or(z.literal('').transform(() => undefined)),
  WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional().or(z.literal('').transform(() => undefined)),
  WEBHOOK_SECRET: optionalString.refine((value) => value === undefined || /^whsec_[A-Za-z0-9+/]{22,}={0,2}$/.test(value), 'use a Standard Webhooks secret: whsec_ and at least 16 bytes of base64'),
  SEED_DEMO_USERS: flag,
  DATA_DIR: z.string().default('.data'),
})

export type Env = z.input<typeof EnvSchema>

export type Config = ReturnType<typeof buildConfig>

function buildConfig(env: z.output<typeof EnvSchema>) {
  const databaseUrl = env.DATABASE_URL ?? env.POSTGRES_URL
  const kvUrl = env.KV_REST_API_URL ?? env.UPSTASH_REDIS_REST_URL
  const kvToken = env.KV_REST_API_TOKEN ?? env.UPSTASH_REDIS_REST_TOKEN
  return {
    env: env.NODE_ENV,
    onVercel: Boolean(env.VERCEL),
    appUrl: env.APP_URL,
    issuer: env.AUTH_ISSUER ?? env.APP_URL ?? 'nj-jwt',
    audience: env.AUTH_AUDIENCE ?? 'nj-jwt',
    database: databaseUrl
      ? ({ kind: 'postgres', url: databaseUrl } as const)
      : ({ kind: 'pglite', dir: env.NODE_ENV === 'test' ? null : `${env.DATA_DIR}/pglite` } as const),
    // Precedence (SPEC §1, docs/decisions/018): the Upstash REST variables, then REDIS_URL, then in-process.
    kv: kvUrl && kvToken
      ? ({ kind: 'upstash', url: kvUrl, token: kvToken } as const)
      : env.REDIS_URL
        ? ({ kind: 'redis', url: env.REDIS_URL } as const)
        : ({ kind: 'memory' } as const),
    signingKeys: env.AUTH_SIGNING_KEYS,
    dataDir: env.DATA_DIR,
    seedDemoUsers: !databaseUrl || env.SEED_DEMO_USERS,
    adminEmails: env.AUTH_ADMIN_EMAILS,
    ttl: {
      access: env.AUTH_ACCESS_TTL,
      refresh: env.AUTH_REFRESH_TTL,
      sessionMaxAge: env.AUTH_SESSION_MAX_AGE,
      browserSessionMaxAge: env.AUTH_BROWSER_SESSION_MAX_AGE,
      expiryGrace: env.AUTH_EXPIRY_GRACE,
      reuseGrace: env.AUTH_REUSE_GRACE,
      refreshWindow: env.AUTH_REFRESH_WINDOW,
      refreshMinInterval: env.AUTH_REFRESH_MIN_INTERVAL,
      proactiveRefresh: env.AUTH_PROACTIVE_REFRESH,
      warningBefore: env.AUTH_WARNING_BEFORE,
    },
    limits: {
      refreshPerIp: env.AUTH_REFRESH_IP_LIMIT,
      loginFailures: env.AUTH_LOGIN_LIMIT,
      loginPerIp: env.AUTH_LOGIN_IP_LIMIT,
      registerPerIp: env.AUTH_REGISTER_LIMIT,
    },
    policy: { userAgent: env.AUTH_UA_POLICY, ip: env.AUTH_IP_POLICY, trustProxy: env.AUTH_TRUST_PROXY },
    cors: { allowedOrigins: new Set(env.CORS_ALLOWED_ORIGINS) },
    // Tests are quiet unless they ask; everywhere else one line per event.
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    webhook: env.WEBHOOK_URL && env.WEBHOOK_SECRET ? { url: env.WEBHOOK_URL, secret: env.WEBHOOK_SECRET } : null,
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Validates an environment; throws a ConfigError naming every variable that is wrong or missing. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(source)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  // One without the other would either send nothing or send unsigned events: name what is missing.
  if (Boolean(parsed.data.WEBHOOK_URL) !== Boolean(parsed.data.WEBHOOK_SECRET)) {
    throw new ConfigError(`Invalid configuration:\n  ${parsed.data.WEBHOOK_URL ? 'WEBHOOK_SECRET' : 'WEBHOOK_URL'}: set WEBHOOK_URL and WEBHOOK_SECRET together`)
  }
  const config = buildConfig(parsed.data)
  // On Vercel, embedded storage would lose data between invocations: never fall back there.
  if (config.onVercel) {
    const missing: string[] = []
    if (config.database.kind !== 'postgres') missing.push('DATABASE_URL (or POSTGRES_URL)')
    if (config.kv.kind === 'memory') missing.push('REDIS_URL, or KV_REST_API_URL and KV_REST_API_TOKEN (or UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN)')
    if (!config.signingKeys) missing.push('AUTH_SIGNING_KEYS (create one with `npm run keys:generate`)')
    if (missing.length > 0) {
      throw new ConfigError(`NJ-JWT on Vercel needs real storage and keys. Set: ${missing.join('; ')}`)
    }
  }
  return config
}

const globalConfig = globalThis as { __njjwtConfig?: Config }

export function getConfig(): Config {
  globalConfig.__njjwtConfig ??= loadConfig(process.env)
  return globalConfig.__njjwtConfig
}
