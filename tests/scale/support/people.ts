import { SITE_ORIGIN } from './cluster'

// A simulated person of the scale suite: one account, one device, in bearer mode (tokens in the
// JSON body, `Authorization`, `X-Device-Id`) or cookie mode (a jar, like a browser's, shared by
// the person's "tabs"). Each person comes from an address of its own (X-Forwarded-For; the
// instances trust it, AUTH_TRUST_PROXY=1) and always sends the same browser headers, so the
// session's binding (SPEC §5) holds on every instance.

export type Transport = 'bearer' | 'cookie'

export type Answer = {
  status: number
  ms: number
  /** When the answer had arrived (epoch ms). */
  receivedAt: number
  contentType: string
  code: string | undefined
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the body of whichever endpoint answered
  json: any
  setCookies: string[]
}

export type Credentials = { accessToken?: string; refreshToken?: string; deviceId?: string; cookies: Map<string, string> }

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'
export const PASSWORD = 'scale-password-1'

/** One HTTP exchange, timed; the body read whole (JSON when it is JSON). */
export async function send(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Answer> {
  const started = performance.now()
  const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(init.timeoutMs ?? 15_000) })
  const text = await response.text()
  const ms = performance.now() - started
  const contentType = response.headers.get('content-type') ?? ''
  let json: unknown = undefined
  if (/json/.test(contentType) && text) {
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
  }
  return { status: response.status, ms, receivedAt: Date.now(), contentType, code: (json as { code?: string } | undefined)?.code, json, setCookies: response.headers.getSetCookie() }
}

let nextAddress = 0
/** A documentation-range address (RFC 5737) no other simulated person has. */
export function uniqueAddress(): string {
  nextAddress += 1
  return `198.51.${Math.floor(nextAddress / 250) % 250}.${(nextAddress % 250) + 1}`
}

export class Person {
  accessToken: string | undefined
  refreshToken: string | undefined
  deviceId: string | undefined
  cookies = new Map<string, string>()
  /** When the access token expires (epoch ms), from the session of the last answer. */
  accessExpiresAt = 0
  sessionId: string | undefined
  userId: string | undefined

  constructor(
    readonly email: string,
    readonly transport: Transport,
    readonly ip: string = uniqueAddress(),
    readonly password: string = PASSWORD,
  ) {}

  /** What this person's browser or client always sends, plus the tokens of `credentials`. */
  headers(method: string, credentials: Credentials = this.credentials()): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-language': 'en-GB', 'x-forwarded-for': this.ip }
    if (this.transport === 'cookie') {
      if (credentials.cookies.size > 0) headers.cookie = [...credentials.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
      if (method !== 'GET' && method !== 'HEAD') headers.origin = SITE_ORIGIN
    } else {
      if (credentials.accessToken) headers.authorization = `Bearer ${credentials.accessToken}`
      if (credentials.deviceId) headers['x-device-id'] = credentials.deviceId
    }
    return headers
  }

  credentials(): Credentials {
    return { accessToken: this.accessToken, refreshToken: this.refreshToken, deviceId: this.deviceId, cookies: new Map(this.cookies) }
  }

  /** The credentials of a browser whose access cookie has expired (its Max-Age ran out): only the refresh token and device id. */
  withoutAccessToken(): Credentials {
    const credentials = this.credentials()
    for (const name of credentials.cookies.keys()) if (name.endsWith('-at')) credentials.cookies.delete(name)
    return { ...credentials, accessToken: undefined }
  }

  restore(credentials: Credentials) {
    this.accessToken = credentials.accessToken
    this.refreshToken = credentials.refreshToken
    this.deviceId = credentials.deviceId
    this.cookies = new Map(credentials.cookies)
  }

  async request(base: string, method: string, path: string, body?: unknown, credentials?: Credentials): Promise<Answer> {
    const headers = this.headers(method, credentials)
    if (body !== undefined) headers['content-type'] = 'application/json'
    return send(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  }

  async register(base: string): Promise<Answer> {
    return this.request(base, 'POST', '/api/auth/register', { email: this.email, password: this.password, name: this.email.split('@')[0] })
  }

  async signIn(base: string, password = this.password): Promise<Answer> {
    const answer = await this.request(base, 'POST', '/api/auth/login', { email: this.email, password, rememberMe: true, transport: this.transport })
    if (answer.status === 200) this.adopt(answer)
    return answer
  }

  /** A protected API call with the current access token. */
  me(base: string): Promise<Answer> {
    return this.request(base, 'GET', '/api/me')
  }

  /** POST /api/auth/refresh with `credentials` (default: the current ones); adopts what it issued. */
  async refresh(base: string, credentials: Credentials = this.credentials(), { adopt = true } = {}): Promise<Answer> {
    // A bearer client sends its refresh token alone; a browser sends whatever cookies it still has.
    const body = this.transport === 'bearer' ? { refreshToken: credentials.refreshToken } : undefined
    const sent = this.transport === 'bearer' ? { ...credentials, accessToken: undefined } : credentials
    const answer = await this.request(base, 'POST', '/api/auth/refresh', body, sent)
    if (adopt && answer.status === 200 && answer.json?.rotated) this.adopt(answer)
    return answer
  }

  async signOut(base: string): Promise<Answer> {
    const body = this.transport === 'bearer' ? { refreshToken: this.refreshToken } : undefined
    return this.request(base, 'POST', '/api/auth/logout', body)
  }

  /** True when the access token has less than `marginMs` left. */
  dueForRefresh(marginMs: number, now = Date.now()): boolean {
    return this.accessExpiresAt - now < marginMs
  }

  /** Takes the tokens (bearer body or Set-Cookie) and the session's times of a 200 answer. */
  adopt(answer: Answer) {
    if (this.transport === 'bearer') {
      if (answer.json?.accessToken) this.accessToken = answer.json.accessToken
      if (answer.json?.refreshToken) this.refreshToken = answer.json.refreshToken
      if (answer.json?.deviceId) this.deviceId = answer.json.deviceId
    } else {
      applySetCookies(this.cookies, answer.setCookies)
    }
    const session = answer.json?.session
    if (session?.accessTokenExpiresAt) this.accessExpiresAt = Date.parse(session.accessTokenExpiresAt)
    if (session?.id) this.sessionId = session.id
    if (answer.json?.user?.id) this.userId = answer.json.user.id
  }
}

/** The refresh token an answer issued (body or cookie): parallel refreshes must agree on it. */
export function issuedRefreshToken(answer: Answer): string | undefined {
  if (answer.json?.refreshToken) return answer.json.refreshToken
  const jar = new Map<string, string>()
  applySetCookies(jar, answer.setCookies)
  return [...jar].find(([name]) => name.endsWith('-rt'))?.[1]
}

export function applySetCookies(jar: Map<string, string>, setCookies: string[]) {
  for (const line of setCookies) {
    const [pair, ...attributes] = line.split(';')
    const at = pair!.indexOf('=')
    const name = pair!.slice(0, at).trim()
    const value = pair!.slice(at + 1).trim()
    const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value === ''
    if (expired) jar.delete(name)
    else jar.set(name, value)
  }
}

/** The q-th quantile (0..1) of `values`, nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

/** Registers and signs in `people`, a few at a time (each one hashes a password twice). */
export async function enrol(people: Person[], bases: string[], concurrency = 6): Promise<void> {
  let index = 0
  const worker = async () => {
    while (index < people.length) {
      const i = index++
      const person = people[i]!
      const base = bases[i % bases.length]!
      const registered = await person.register(base)
      if (registered.status !== 201) throw new Error(`register ${person.email}: ${registered.status} ${JSON.stringify(registered.json)}`)
      const signedIn = await person.signIn(bases[(i + 1) % bases.length]!)
      if (signedIn.status !== 200) throw new Error(`sign in ${person.email}: ${signedIn.status} ${JSON.stringify(signedIn.json)}`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/** A fresh email for the suite's run (the database is dropped at each start, but files share it). */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.test`
}
