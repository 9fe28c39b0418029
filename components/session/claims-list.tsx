import type { ReactNode } from 'react'

type Claims = {
  sub: string
  sid: string
  jti: string
  iat: number
  exp: number
  iss: string
  aud: string
  type: string
  role: string
  permissions: string[]
}

export const isoTime = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString()

function Timestamp({ value }: { value: number }) {
  return (
    <>
      <code>{value}</code> <span className="muted small">({isoTime(value)})</span>
    </>
  )
}

/** The access token's claims, never the token (SPEC §3: tokens stay in HttpOnly cookies). */
export function ClaimsList({ claims }: { claims: Claims }) {
  const rows: Array<[string, ReactNode]> = [
    ['sub', <code key="sub">{claims.sub}</code>],
    ['sid', <code key="sid">{claims.sid}</code>],
    ['jti', <code key="jti">{claims.jti}</code>],
    ['iat', <Timestamp key="iat" value={claims.iat} />],
    ['exp', <Timestamp key="exp" value={claims.exp} />],
    ['iss', <code key="iss">{claims.iss}</code>],
    ['aud', <code key="aud">{claims.aud}</code>],
    ['type', <code key="type">{claims.type}</code>],
    ['role', <code key="role">{claims.role}</code>],
    ['permissions', <code key="permissions">{JSON.stringify(claims.permissions)}</code>],
  ]
  return (
    <dl className="details-list" aria-label="Access token claims">
      {rows.map(([name, value]) => (
        <div key={name} className="details-row">
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
