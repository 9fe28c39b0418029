import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose'
import type { AccessClaims } from '@/lib/api-types'
import { newUuidV7 } from './ids'
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

async function sign<T extends TokenType>(
  type: T,
  extra: Record<string, unknown>,
  { sub, sid, now, ttl }: IssueInput,
  key: SigningKey,
  { issuer, audience }: TokenContext,
): Promise<{ token: string; claims: ClaimsOf<T> }> {
  const jti = newUuidV7(now)
  const iat = Math.floor(now / 1000)
  const exp = iat + ttl
  const claims = { iss: issuer, aud: audience, sub, sid, jti, iat, exp, type, ...extra } as ClaimsOf<T>
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: TYP[type], kid: key.kid })
    .sign(key.privateKey)
  return { token, claims }
}

export type VerifyResult<T extends TokenType> =
  | { ok: true; claims: ClaimsOf<T> }
  | { ok: false; reason: 'invalid' | 'expired' }

export type VerifyOptions = TokenContext & { now: number; graceSeconds: number }

/**
 * Pins ES256 (no `alg: none`, no HS256-with-the-public-key: RFC 8725 §3.1), requires a known
 * `kid`, checks `iss`, `aud`, `typ` and `type`, and tolerates `graceSeconds` past `exp`.
 */
export async function verifyToken<T extends TokenType>(
  type: T,
  token: string,
  keys: Pick<KeySet, 'verifying'>,
  options: VerifyOptions,
): Promise<VerifyResult<T>> {
  if (token.length > 4096) return { ok: false, reason: 'invalid' }
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const key = header.kid ? keys.verifying.get(header.kid) : undefined
        if (!key) throw new errors.JWKSNoMatchingKey()
        return key
      },
      {
        algorithms: ['ES256'],
        typ: TYP[type],
        issuer: options.issuer,
        audience: options.audience,
        currentDate: new Date(options.now),
        clockTolerance: options.graceSeconds,
        requiredClaims: ['sub', 'sid', 'jti', 'iat', 'exp', 'type'],
      },
    )
    if (!hasShape(type, payload)) return { ok: false, reason: 'invalid' }
    return { ok: true, claims: payload as ClaimsOf<T> }
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' }
    return { ok: false, reason: 'invalid' }
  }
}

function hasShape(type: TokenType, payload: JWTPayload): boolean {
  if (payload.type !== type) return false
  if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.jti !== 'string') return false
  if (type === 'access') {
    return typeof payload.role === 'string' && Array.isArray(payload.permissions) && payload.permissions.every((p) => typeof p === 'string')
  }
  return true
}
