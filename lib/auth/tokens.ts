import type { AccessClaims } from '@/lib/shared/api-types'
import { newUuidV7 } from '@/lib/ids'
import { signJws, verifyJws } from './jws'
import type { KeySet, SigningKey } from './keys'

// Pure token logic (no I/O): keys and `now` come in as parameters (after Auth.js core's jwt.ts).

export type TokenType = 'access' | 'refresh'
const TYP = { access: 'at+jwt', refresh: 'rt+jwt' } as const

export type { AccessClaims }
export type RefreshClaims = Omit<AccessClaims, 'type' | 'role' | 'permissions'> & { type: 'refresh' }
export type ClaimsOf<T extends TokenType> = T extends 'access' ? AccessClaims : RefreshClaims

export type TokenContext = { issuer: string; audience: string }

export type IssueInput = {
  sub: string
  sid: string
  now: number
  /** Seconds from now. */
  ttl: number
}

export async function signAccessToken(
  input: IssueInput & { role: string; permissions: string[] },
  key: SigningKey,
  context: TokenContext,
): Promise<{ token: string; claims: AccessClaims }> {
  return sign('access', { role: input.role, permissions: input.permissions }, input, key, context)
}

export async function signRefreshToken(
  input: IssueInput,
  key: SigningKey,
  context: TokenContext,
): Promise<{ token: string; claims: RefreshClaims }> {
  return sign('refresh', {}, input, key, context)
}

function sign<T extends TokenType>(
  type: T,
  extra: Record<string, unknown>,
  { sub, sid, now, ttl }: IssueInput,
  key: SigningKey,
  { issuer, audience }: TokenContext,
): { token: string; claims: ClaimsOf<T> } {
  const jti = newUuidV7(now)
  const iat = Math.floor(now / 1000)
  const exp = iat + ttl
  const claims = { iss: issuer, aud: audience, sub, sid, jti, iat, exp, type, ...extra } as ClaimsOf<T>
  const token = signJws({ alg: 'ES256', typ: TYP[type], kid: key.kid }, claims, key.privateKey)
  return { token, claims }
}

export type VerifyResult<T extends TokenType> =
  | { ok: true; claims: ClaimsOf<T> }
  | { ok: false; reason: 'invalid' | 'expired' }

export type VerifyOptions = TokenContext & { now: number; graceSeconds: number }

const MAX_TOKEN_LENGTH = 4096

/**
 * Pins ES256 (no `alg: none`, no HS256-with-the-public-key: RFC 8725 §3.1), requires a known
 * `kid`, checks `typ`, `iss`, `aud` and `type` and the claim shapes, and only then time: `exp`
 * with `graceSeconds` of tolerance and `nbf` if present. "expired" is reserved for a token that
 * is genuine in every other respect. Synchronous inside (lib/auth/jws.ts).
 */
export async function verifyToken<T extends TokenType>(
  type: T,
  token: string,
  keys: Pick<KeySet, 'verifying'>,
  options: VerifyOptions,
): Promise<VerifyResult<T>> {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'invalid' }
  const verified = verifyJws(token, keys.verifying)
  if (!verified || verified.header.typ !== TYP[type]) return { ok: false, reason: 'invalid' }
  const { payload } = verified
  if (payload.iss !== options.issuer || !hasAudience(payload.aud, options.audience) || !hasShape(type, payload)) {
    return { ok: false, reason: 'invalid' }
  }
  const now = Math.floor(options.now / 1000)
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now + options.graceSeconds)) return { ok: false, reason: 'invalid' }
  if ((payload.exp as number) <= now - options.graceSeconds) return { ok: false, reason: 'expired' }
  return { ok: true, claims: payload as ClaimsOf<T> }
}

function hasAudience(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.includes(audience))
}

function hasShape(type: TokenType, payload: Record<string, unknown>): boolean {
  if (payload.type !== type) return false
  if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.jti !== 'string') return false
  if (!Number.isFinite(payload.iat) || !Number.isFinite(payload.exp)) return false
  if (type === 'access') {
    return typeof payload.role === 'string' && Array.isArray(payload.permissions) && payload.permissions.every((p) => typeof p === 'string')
  }
  return true
}
