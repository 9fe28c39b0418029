import { randomBytes } from 'node:crypto'
import { encode } from '@auth/core/jwt'
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose'
import pg from 'pg'
import { v7 as uuidv7 } from 'uuid'

// What every bench server shares: one signing key, one issuer and audience, one Auth.js secret,
// and one database of the bench's own (njjwt_bench). The bench signs in through the API like any
// client, and mints tokens itself (with the same key) only where it needs many distinct ones.

export const ISSUER = 'nj-jwt-bench'
export const AUDIENCE = 'nj-jwt'
export const DEMO = { email: 'user@example.com', password: 'user-password-1' }
export const AUTHJS_COOKIE = 'authjs.session-token'
const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
/** BENCH_DATABASE (default njjwt_bench): only a name starting njjwt_bench, so no run can drop another database. */
export const DATABASE = process.env.BENCH_DATABASE || 'njjwt_bench'
if (!/^njjwt_bench[a-z0-9_]{0,40}$/.test(DATABASE)) throw new Error(`BENCH_DATABASE: must be njjwt_bench or njjwt_bench_<suffix> (lower case), not ${DATABASE}`)

export async function newSigningKey() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  const jwk = { ...(await exportJWK(privateKey)), kid: `bench-${randomBytes(4).toString('hex')}`, alg: 'ES256', use: 'sig' }
  return { jwk, signingKeys: JSON.stringify([jwk]), privateKey: await importJWK(jwk, 'ES256') }
}

/** Drops and creates DATABASE (njjwt_bench unless BENCH_DATABASE) on the machine's Postgres (never any other database). */
export async function recreateDatabase() {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`)
    await client.query(`CREATE DATABASE ${DATABASE}`)
  } finally {
    await client.end()
  }
  return PG_ADMIN_URL.replace(/\/postgres$/, `/${DATABASE}`)
}

/**
 * The environment of every bench server: the shared key, long-lived access tokens (a full run is
 * ~25 min), and limits lifted so that the bench measures the work, not the rate limiter (every
 * request comes from 127.0.0.1). Rotation interval 0: a session may rotate back to back.
 */
export function serverEnv({ signingKeys, authSecret, databaseUrl, dataDir }) {
  return {
    AUTH_SIGNING_KEYS: signingKeys,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_SECRET: authSecret,
    AUTH_ACCESS_TTL: '1h',
    AUTH_REFRESH_WINDOW: '120s',
    AUTH_REFRESH_MIN_INTERVAL: '0s',
    AUTH_REFRESH_IP_LIMIT: '100000000',
    AUTH_LOGIN_IP_LIMIT: '100000000',
    AUTH_LOGIN_LIMIT: '100000000',
    AUTH_REGISTER_LIMIT: '100000000',
    SEED_DEMO_USERS: '1',
    LOG_LEVEL: 'error',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(dataDir ? { DATA_DIR: dataDir } : {}),
  }
}

export const CLIENT_HEADERS = { 'user-agent': 'njjwt-bench/1', 'accept-language': 'en' }

/** POST /api/auth/login in bearer mode: { accessToken, refreshToken, deviceId } or an error. */
export async function signIn(baseUrl, { email, password } = DEMO) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { ...CLIENT_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, transport: 'bearer' }),
  })
  const body = await response.json()
  if (response.status !== 200) throw new Error(`sign-in at ${baseUrl}: ${response.status} ${JSON.stringify(body)}`)
  return body
}

/** An Auth.js v5 session cookie value (JWE) for the Auth.js variant, as its sign-in would set it. */
export function authjsSessionToken(authSecret, sub) {
  return encode({ token: { sub, name: 'Bench', email: DEMO.email }, secret: authSecret, salt: AUTHJS_COOKIE, maxAge: 3600 })
}

/**
 * Distinct valid access tokens signed with the servers' own key: new sub, sid and jti each, so
 * nothing in the gate's cache or the denylist is shared between two of them.
 */
export function mintAccessToken(privateKey, kid, nowMs = Date.now()) {
  const iat = Math.floor(nowMs / 1000)
  return new SignJWT({ sid: uuidv7(), type: 'access', role: 'user', permissions: [] })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(uuidv7())
    .setJti(uuidv7({ msecs: nowMs }))
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(privateKey)
}
