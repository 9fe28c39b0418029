// The JSON the API answers (SPEC §7), as the browser sees it. Times are ISO-8601 UTC strings.
// Never a token: in cookie mode they stay in HttpOnly cookies (SPEC §3).

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

export type AccessClaimsView = {
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

export type MeResponse = { user: UserInfo; claims: AccessClaimsView }
