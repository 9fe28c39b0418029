import fc from 'fast-check'

// Generated requests for the fuzz (issue 10 "Prove"): every endpoint of SPEC §7 with its own
// method or an odd one, random JSON shapes and types, deep and huge bodies, odd content types,
// and tokens mutated every way a forger would try (bit flips, alg/typ/kid/crit swaps, claims
// swapped, truncations). Tokens come from a pool of real sessions, so a mutation starts from a
// token that verified once.

export type TokenPool = { access: string[]; refresh: string[]; deviceIds: string[]; userIds: string[]; sessionIds: string[]; cookieNames: { access: string; refresh: string; device: string } }

export type FuzzRequest = {
  instance: number
  method: string
  path: string
  headers: Record<string, string>
  body: Buffer | undefined
  /** Content-Length, or the body in chunks with no length announced (an over-long body then streams in). */
  chunked: boolean
  /** How it was made, for the report of a failure. */
  label: string
}

type Endpoint = { method: string; path: (id: string) => string; fields?: string[]; query?: string[] }

export const ENDPOINTS: Endpoint[] = [
  { method: 'POST', path: () => '/api/auth/register', fields: ['email', 'password', 'name'] },
  { method: 'POST', path: () => '/api/auth/login', fields: ['email', 'password', 'rememberMe', 'transport'] },
  { method: 'POST', path: () => '/api/auth/refresh', fields: ['refreshToken'] },
  { method: 'POST', path: () => '/api/auth/logout', fields: ['refreshToken'] },
  { method: 'GET', path: () => '/api/auth/session' },
  { method: 'POST', path: () => '/api/auth/password', fields: ['currentPassword', 'newPassword'] },
  { method: 'GET', path: () => '/api/auth/sessions' },
  { method: 'DELETE', path: (id) => `/api/auth/sessions/${id}` },
  { method: 'POST', path: () => '/api/auth/sessions/revoke-others' },
  { method: 'GET', path: () => '/api/me' },
  { method: 'GET', path: () => '/api/admin/users', query: ['cursor', 'limit'] },
  { method: 'PATCH', path: (id) => `/api/admin/users/${id}`, fields: ['role'] },
  { method: 'POST', path: (id) => `/api/admin/users/${id}/revoke-sessions` },
  { method: 'GET', path: () => '/api/admin/audit', query: ['userId', 'event', 'from', 'to', 'limit', 'cursor'] },
  { method: 'GET', path: () => '/api/auth/session/timeline' },
  { method: 'GET', path: () => '/api/admin/activity', query: ['range'] },
  { method: 'GET', path: () => '/api/openapi.json' },
  { method: 'GET', path: () => '/.well-known/jwks.json' },
]

// Methods Node's HTTP parser takes (CONNECT aside, which is a tunnel, not a request).
const ODD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'TRACE', 'SEARCH', 'QUERY', 'MKCOL', 'LOCK', 'REPORT', 'PURGE', 'MOVE', 'COPY']
const FUZZ_ADDRESSES = ['203.0.113.10', '203.0.113.11', '2001:db8::10', '203.0.113.12']
const SITE = 'http://127.0.0.1:3300'

const b64url = (buffer: Buffer | string) => Buffer.from(buffer).toString('base64url')
const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', 'null', '%', '%zz', '../../etc/passwd', '\u0000', '\u202e', '😀'.repeat(10), 'a'.repeat(5_000), '<script>', "' OR 1=1 --", '${jndi:x}'),
)
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  weirdString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('user@example.com', 'scale-admin@example.test', 'a@b', 'bearer', 'cookie', 'admin', 'user', 'x'.repeat(10), '1h', '24h', '7d', '2026-01-01T00:00:00Z'),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
)

/** A token changed the way a forger would change it. */
function mutateToken(token: string, how: string, n: number, other: string): string {
  const [h = '', p = '', s = ''] = token.split('.')
  const json = (segment: string) => {
    try {
      return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>
    } catch {
      return {}
    }
  }
  const header = json(h)
  const payload = json(p)
  switch (how) {
    case 'bitflip': {
      const segments = [h, p, s]
      const which = n % 3
      const bytes = Buffer.from(segments[which]!, 'base64url')
      if (bytes.length > 0) bytes[(n >> 2) % bytes.length]! ^= 1 << (n % 8)
      segments[which] = b64url(bytes)
      return segments.join('.')
    }
    case 'alg':
      return [b64url(JSON.stringify({ ...header, alg: ['none', 'HS256', 'RS256', 'ES384', 'ES512', 'EdDSA', '', null, 123][n % 9] })), p, n % 2 ? s : ''].join('.')
    case 'typ':
      return [b64url(JSON.stringify({ ...header, typ: ['JWT', 'rt+jwt', 'at+jwt', '', 'JOSE', null][n % 6] })), p, s].join('.')
    case 'kid':
      return [b64url(JSON.stringify({ ...header, kid: ['', 'unknown', '../../keys', 'k'.repeat(5_000), 7, null, { $ne: 1 }][n % 7] })), p, s].join('.')
    case 'crit':
      return [b64url(JSON.stringify({ ...header, crit: [['exp'], ['b64'], [], 'exp', [1]][n % 5], b64: n % 2 === 0 ? false : undefined })), p, s].join('.')
    case 'embedded-key':
      return [b64url(JSON.stringify({ ...header, jku: 'http://127.0.0.1:1/jwks', jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, x5u: 'http://127.0.0.1:1/x' })), p, s].join('.')
    case 'claims':
      return [h, b64url(JSON.stringify({ ...payload, ...[{ type: 'refresh' }, { type: 'access' }, { exp: 4_102_444_800 }, { role: 'admin', permissions: ['users:write', 'audit:read'] }, { sub: 'x' }, { aud: 'other' }][n % 6] })), s].join('.')
    case 'other-signature':
      return [h, p, other.split('.')[2] ?? ''].join('.')
    case 'truncate':
      return token.slice(0, n % Math.max(1, token.length))
    case 'segments':
      return [`${token}.${s}`, `${h}.${p}`, `${h}..${s}`, `.${p}.`, '..', `${h}.${p}.${s}.`][n % 6]!
    default:
      return `${token.slice(0, n % token.length)}${['!', '=', '+', '/', ' ', '\t', '%00'][n % 7]}${token.slice(n % token.length)}`
  }
}

const MUTATIONS = ['bitflip', 'alg', 'typ', 'kid', 'crit', 'embedded-key', 'claims', 'other-signature', 'truncate', 'segments', 'chars']

/** A token from the pool, as is or mutated. */
function tokenFrom(pool: () => string[], others: () => string[]): fc.Arbitrary<{ token: string; how: string }> {
  return fc.tuple(fc.nat(), fc.oneof({ weight: 1, arbitrary: fc.constant('as-is') }, { weight: 2, arbitrary: fc.constantFrom(...MUTATIONS) }), fc.nat()).map(([pick, how, n]) => {
    const tokens = pool()
    const token = tokens.length > 0 ? tokens[pick % tokens.length]! : 'eyJhbGciOiJFUzI1NiJ9.e30.'
    const otherTokens = others()
    const other = otherTokens[n % Math.max(1, otherTokens.length)] ?? token
    return { token: how === 'as-is' ? token : mutateToken(token, how, n, other), how }
  })
}

const body = (endpoint: Endpoint, refreshToken: fc.Arbitrary<{ token: string; how: string }>): fc.Arbitrary<{ bytes: Buffer | undefined; label: string }> =>
  fc.oneof(
    // The endpoint's own fields, each of a random type (and sometimes one more field).
    { weight: 5, arbitrary: fc
      .tuple(
        fc.record(Object.fromEntries((endpoint.fields ?? ['x']).map((field) => [field, weirdValue])), { requiredKeys: [] }),
        refreshToken,
        fc.option(fc.tuple(fc.string({ maxLength: 10 }), weirdValue)),
      )
      .map(([fields, { token, how }, extra]) => {
        const value: Record<string, unknown> = { ...fields }
        if (endpoint.fields?.includes('refreshToken') && !('refreshToken' in fields)) value.refreshToken = token
        if (extra) value[extra[0]] = extra[1]
        return { bytes: Buffer.from(JSON.stringify(value)), label: `fields (refreshToken ${how})` }
      }) },
    fc.jsonValue({ maxDepth: 4 }).map((value) => ({ bytes: Buffer.from(JSON.stringify(value) ?? 'null'), label: 'json' })),
    fc.integer({ min: 1, max: 8_000 }).map((depth) => ({ bytes: Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`), label: `deep array ${depth}` })),
    fc.integer({ min: 1, max: 2_500 }).map((depth) => ({ bytes: Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`), label: `deep object ${depth}` })),
    fc.integer({ min: 16 * 1024 - 64, max: 300_000 }).map((size) => ({ bytes: Buffer.from(JSON.stringify({ email: 'a@b.c', password: 'p'.repeat(size) })), label: `huge ${size}` })),
    fc.string({ maxLength: 200 }).map((text) => ({ bytes: Buffer.from(text), label: 'text' })),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ bytes: Buffer.from(bytes), label: 'binary' })),
    fc.constant({ bytes: undefined, label: 'no body' }),
    fc.constant({ bytes: Buffer.alloc(0), label: 'empty body' }),
  )

const contentType = fc.option(
  fc.oneof(
    { weight: 3, arbitrary: fc.constant('application/json') },
    fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/problem+json', 'application/json; charset=latin1', 'text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/xml', '*/*', '', 'application/json, text/html'),
    fc.string({ maxLength: 30 }).map((value) => value.replace(/[^\x20-\x7e]/g, '')),
  ),
  { freq: 4 },
)

const idSegment = (pool: () => TokenPool) =>
  fc.oneof(
    fc.uuid(),
    fc.nat().map((n) => {
      const ids = [...pool().userIds, ...pool().sessionIds]
      return ids[n % Math.max(1, ids.length)] ?? 'none'
    }),
    fc.string({ maxLength: 30 }).map(encodeURIComponent),
    fc.constantFrom('%', '%zz', '%00', '..', '%2e%2e%2f', 'a'.repeat(3_000), '%E0%A4%A'),
  )

const query = (endpoint: Endpoint) =>
  fc.oneof(
    fc.constant(''),
    fc.dictionary(fc.constantFrom(...(endpoint.query ?? ['q']), 'x'), fc.oneof(weirdString, fc.integer().map(String)), { maxKeys: 4 }).map((params) => `?${new URLSearchParams(params).toString()}`),
    fc.constantFrom('?limit=-1', '?limit=1e308', '?cursor=%', '?from=yesterday&to=0', '?range=1y', '?userId[]=1', '?&&==', '?limit=999999999999999999999'),
  )

export function fuzzRequest(pool: () => TokenPool): fc.Arbitrary<FuzzRequest> {
  const access = tokenFrom(() => pool().access, () => pool().refresh)
  const refresh = tokenFrom(() => pool().refresh, () => pool().access)
  return fc.constantFrom(...ENDPOINTS).chain((endpoint) =>
    fc
      .record({
        instance: fc.nat({ max: 1 }),
        method: fc.oneof({ weight: 3, arbitrary: fc.constant(endpoint.method) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_METHODS) }),
        id: idSegment(pool),
        query: query(endpoint),
        body: body(endpoint, refresh),
        contentType,
        auth: fc.constantFrom('none', 'bearer', 'bearer', 'cookies', 'cookies', 'both', 'odd-scheme'),
        access,
        refresh,
        deviceId: fc.option(fc.oneof(fc.nat().map((n) => pool().deviceIds[n % Math.max(1, pool().deviceIds.length)] ?? 'x'), weirdString), { freq: 2 }),
        origin: fc.constantFrom(SITE, SITE, 'http://evil.example', 'null', undefined),
        secFetchSite: fc.constantFrom(undefined, undefined, 'same-origin', 'cross-site', 'none', 'garbage'),
        chunked: fc.boolean(),
        address: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FUZZ_ADDRESSES) }, { weight: 1, arbitrary: fc.constantFrom('not-an-ip', '1.2.3.4, 5.6.7.8', '::ffff:203.0.113.10', '') }),
      })
      .map((r) => {
        const names = pool().cookieNames
        const headers: Record<string, string> = { 'user-agent': 'nj-fuzz/1.0', 'x-forwarded-for': r.address }
        if (r.contentType !== null) headers['content-type'] = r.contentType
        if (r.origin) headers.origin = r.origin
        if (r.secFetchSite) headers['sec-fetch-site'] = r.secFetchSite
        if (r.deviceId !== null) headers['x-device-id'] = r.deviceId
        if (r.auth === 'bearer' || r.auth === 'both') headers.authorization = `Bearer ${r.access.token}`
        if (r.auth === 'odd-scheme') headers.authorization = [`Basic ${b64url('a:b')}`, 'Bearer', `Bearer  ${r.access.token}`, `bearer ${r.access.token}`, `Bearer ${r.access.token},${r.access.token}`][r.id.length % 5]!
        if (r.auth === 'cookies' || r.auth === 'both') headers.cookie = `${names.access}=${r.access.token}; ${names.refresh}=${r.refresh.token}; ${names.device}=${r.deviceId ?? ''}`
        const path = `${endpoint.path(r.id)}${r.query}`
        const label = `${r.method} ${endpoint.method} ${endpoint.path('{id}')} body=${r.body.label}${r.chunked ? ' chunked' : ''} type=${r.contentType} auth=${r.auth} access=${r.access.how} refresh=${r.refresh.how}`
        // A header value may hold only what HTTP allows (Node refuses to send anything else).
        for (const [name, value] of Object.entries(headers)) headers[name] = value.replace(/[^\t\x20-\x7e]/g, '?')
        // fast-check prints a counterexample with this, not with a 300 kB body.
        const describe = () => `${label} → ${r.instance ? 'B' : 'A'} ${r.method} ${path.slice(0, 200)} ${JSON.stringify(headers).slice(0, 600)} body ${r.body.bytes?.length ?? 'none'} bytes: ${r.body.bytes?.subarray(0, 120).toString('utf8') ?? ''}`
        return { instance: r.instance, method: r.method, path, headers, body: r.body.bytes, chunked: r.chunked, label, [fc.toStringMethod]: describe }
      }),
  )
}
