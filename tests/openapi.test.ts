import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { beforeAll, describe, expect, it } from 'vitest'
import { openApiDocument, type OpenApiDocument } from '@/lib/http/openapi'
import { ERRORS } from '@/lib/shared/error-codes'
import { BearerClient, TestClient, dispatch, json } from './support/client'
import { createUser, setupTestApp, startFakeClock } from './support/harness'
import { recordedAnswers, type RecordedAnswer } from './support/recorder'
import { APP_ROUTES } from './support/routes'

// Issue 12 item 5: GET /api/openapi.json describes every route file under app/api (and the JWKS),
// is valid OpenAPI 3.1, and real answers of the route handlers and the gate validate against it.
// A small login failure budget, so the lifecycle meets a 429 in a few tries.
const app = setupTestApp({ AUTH_LOGIN_LIMIT: '3' })

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
const CATCH_ALL = '/api/[...path]'
const SAMPLE_ID = '0190a0b0-0000-7000-8000-000000000000'

let doc: OpenApiDocument
beforeAll(async () => {
  const response = await new TestClient().call('GET', '/api/openapi.json')
  expect(response.status).toBe(200)
  doc = await json<OpenApiDocument>(response)
})

/** `/api/auth/sessions/[id]` → `/api/auth/sessions/{id}`. */
const openApiPath = (pattern: string) => pattern.replace(/\[(\w+)\]/g, '{$1}')
const documentedMethods = (p: string) => Object.keys(doc.paths[p] ?? {}).map((m) => m.toUpperCase()).sort()

describe('GET /api/openapi.json', () => {
  it('is public, JSON, cacheable by anyone and the same document the code builds', async () => {
    const response = await new TestClient().call('GET', '/api/openapi.json', { gate: true })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    expect(response.headers.getSetCookie()).toEqual([])
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())))
  })
})

describe('every route file under app/api has its operations', () => {
  const apiRoutes = APP_ROUTES.filter((route) => route.file.startsWith('app/api/') || route.file.startsWith('app/.well-known/'))

  it('finds the route files on disk', () => {
    const onDisk = (readdirSync(path.resolve('app/api'), { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => path.basename(f) === 'route.ts').map((f) => `app/api/${f}`)
    expect(apiRoutes.map((r) => r.file).filter((f) => f.startsWith('app/api/')).sort()).toEqual(onDisk.sort())
    expect(onDisk.length).toBeGreaterThan(15)
  })

  it.each(apiRoutes.filter((r) => r.pattern !== CATCH_ALL).map((r) => [r.file, r] as const))('%s: each method it serves is an operation, the 405 ones are not', async (_file, route) => {
    const documented = documentedMethods(openApiPath(route.pattern))
    expect(documented.length, `${openApiPath(route.pattern)} is missing from the document`).toBeGreaterThan(0)
    const handlers = await route.load()
    const served: string[] = []
    for (const method of METHODS.filter((m) => typeof handlers[m] === 'function')) {
      const response = await new TestClient().call(method, route.pattern.replace(/\[\w+\]/g, SAMPLE_ID))
      if (response.status === 405) expect(response.headers.get('allow')?.split(/,\s*/).sort()).toEqual(documented)
      else served.push(method)
    }
    expect(served.sort()).toEqual(documented)
  })

  it('documents nothing else: every path of the document is a route file', () => {
    const patterns = new Set(apiRoutes.map((r) => openApiPath(r.pattern)))
    expect(Object.keys(doc.paths).filter((p) => !patterns.has(p))).toEqual([])
    // The catch-all answers 404 for paths that are not an API: not an operation.
    expect(Object.keys(doc.paths).some((p) => p.includes('...'))).toBe(false)
  })
})

describe('the document is valid OpenAPI 3.1 and keeps the names of SPEC §7', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const result = await new Validator().validate(structuredClone(doc))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(doc.openapi).toMatch(/^3\.1\./)
  })

  it('each component schema compiles as JSON Schema 2020-12 (strict), and every $ref resolves', () => {
    const ajv = schemaValidator()
    for (const name of Object.keys(doc.components.schemas)) expect(() => ajv.getSchema(`${DOC_ID}#/components/schemas/${name}`), name).not.toThrow()
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(([, name]) => name!)
    expect(refs.filter((name) => !doc.components.schemas[name])).toEqual([])
  })

  it('has the endpoints of SPEC §7 with the fixed field names, and every error code', () => {
    const text = JSON.stringify(doc)
    for (const code of Object.keys(ERRORS)) if (code !== 'METHOD_NOT_ALLOWED') expect(text, code).toContain(`"${code}"`)
    const schema = (name: string) => doc.components.schemas[name] as { properties: Record<string, unknown>; required?: string[] }
    expect(Object.keys(schema('SessionInfo').properties).sort()).toEqual(['accessTokenExpiresAt', 'expiresAt', 'id', 'refreshTokenExpiresAt', 'rememberMe'])
    expect(Object.keys(schema('UserInfo').properties).sort()).toEqual(['email', 'id', 'name', 'permissions', 'role'])
    expect(Object.keys(schema('Problem').properties).sort()).toEqual(['code', 'detail', 'errors', 'status', 'title', 'type'])
    expect(Object.keys(schema('SessionAnswer').properties).sort()).toEqual(['accessToken', 'deviceId', 'refreshToken', 'session', 'user'])
    expect(Object.keys(schema('LoginBody').properties).sort()).toEqual(['email', 'password', 'rememberMe', 'transport'])
    const audit = (doc.paths['/api/admin/audit']!.get as { parameters: { name: string }[] }).parameters.map((p) => p.name)
    expect(audit.sort()).toEqual(['cursor', 'event', 'from', 'limit', 'sessionId', 'to', 'userId'])
    expect(Object.keys(doc.components.securitySchemes as object).sort()).toEqual(['bearerAuth', 'cookieAuth', 'refreshBody', 'refreshCookie'])
  })
})

// --- Answers validate against the document ----------------------------------------------------------

const DOC_ID = 'https://nj-jwt.invalid/openapi.json'

function schemaValidator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true, strictTypes: false, allowUnionTypes: true })
  addFormats.default(ajv)
  // OpenAPI's own members of the document are not JSON Schema keywords.
  for (const keyword of ['openapi', 'info', 'servers', 'paths', 'components', 'tags', 'jsonSchemaDialect']) ajv.addKeyword(keyword)
  ajv.addSchema({ ...doc, $id: DOC_ID })
  return ajv
}

const pointer = (...parts: string[]) => '#/' + parts.map((p) => encodeURIComponent(p.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')

type Operation = { path: string; method: string; op: { responses: Record<string, { content?: Record<string, unknown> }> } }

function findOperation(answer: RecordedAnswer): Operation | undefined {
  for (const [p, item] of Object.entries(doc.paths)) {
    const pattern = new RegExp('^' + p.replace(/\{\w+\}/g, '[^/]+') + '$')
    const op = item[answer.method.toLowerCase()]
    if (pattern.test(answer.path) && op) return { path: p, method: answer.method.toLowerCase(), op: op as Operation['op'] }
  }
  return undefined
}

/** Checks one answer; returns what is wrong with it, or null. Answers that are not an operation's (405, unknown paths, HEAD, OPTIONS) are skipped: undefined. */
function problemsWith(answer: RecordedAnswer, validators: Map<string, ValidateFunction>, ajv: Ajv2020): string | null | undefined {
  const found = findOperation(answer)
  if (!found || answer.status === 405) return undefined
  const where = `${answer.method} ${answer.path} → ${answer.status}`
  const response = found.op.responses[String(answer.status)]
  if (!response) return `${where}: status not documented for ${found.method.toUpperCase()} ${found.path}`
  const mediaType = answer.contentType?.split(';')[0]?.trim() ?? ''
  if (!response.content?.[mediaType]) return `${where}: content type ${mediaType} not documented`
  const key = pointer('paths', found.path, found.method, 'responses', String(answer.status), 'content', mediaType, 'schema')
  let validate = validators.get(key)
  if (!validate) validators.set(key, (validate = ajv.compile({ $ref: DOC_ID + key })))
  return validate(answer.body) ? null : `${where}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(answer.body).slice(0, 300)}`
}

function checkAll(answers: RecordedAnswer[]) {
  const ajv = schemaValidator()
  const validators = new Map<string, ValidateFunction>()
  const checked = new Set<string>()
  const failures: string[] = []
  for (const answer of answers) {
    const problem = problemsWith(answer, validators, ajv)
    if (problem === undefined) continue
    checked.add(`${answer.method} ${findOperation(answer)!.path} ${answer.status}`)
    if (problem) failures.push(answer.file ? `${path.relative(process.cwd(), answer.file)}: ${problem}` : problem)
  }
  return { failures: [...new Set(failures)], checked }
}

describe('recorded answers validate against the document', () => {
  it('a scripted lifecycle through the harness: every answer is documented and validates', async () => {
    const clock = startFakeClock()
    recordedAnswers.length = 0
    await runLifecycle(clock)
    const { failures, checked } = checkAll(recordedAnswers)
    expect(failures).toEqual([])
    // Every operation answered at least once with success, and the error kinds of SPEC §7 came up.
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        const ok = Object.keys((item[method] as Operation['op']).responses).find((s) => s.startsWith('2'))
        expect(checked, `${method.toUpperCase()} ${p} ${ok}`).toContain(`${method.toUpperCase()} ${p} ${ok}`)
      }
    }
    const statuses = new Set([...checked].map((c) => c.split(' ')[2]))
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '413', '415', '429']))
  })

  it('catches an answer that drifts from the document: a wrong shape, an undocumented status or code', () => {
    const me = { method: 'GET', path: '/api/me', contentType: 'application/json' }
    const problem = { type: '/errors/EMAIL_TAKEN', title: 'Email already registered', status: 409, detail: 'x', code: 'EMAIL_TAKEN' }
    const { failures, checked } = checkAll([
      { ...me, status: 200, body: { user: { id: 'u' } } },
      { ...me, status: 409, contentType: 'application/problem+json', body: problem },
      { ...me, status: 401, contentType: 'application/problem+json', body: { ...problem, status: 401, code: 'INVALID_CREDENTIALS' } },
      { ...me, status: 200, contentType: 'text/html', body: null },
      { ...me, method: 'PUT', status: 405, body: null },
    ])
    expect(failures).toHaveLength(4)
    expect(failures.join('\n')).toMatch(/must have required property 'claims'/)
    expect(failures.join('\n')).toMatch(/409: status not documented/)
    expect(failures.join('\n')).toMatch(/must be equal to one of the allowed values/)
    expect(checked.has('PUT /api/me 405')).toBe(false)
  })

  // Read only when asked (OPENAPI_CHECK_RECORDINGS), after the run that recorded them: inside that
  // run (OPENAPI_RECORDINGS) the folder is still being written.
  const dir = process.env.OPENAPI_CHECK_RECORDINGS
  it.skipIf(!dir || !existsSync(dir))('the answers the whole suite recorded (OPENAPI_CHECK_RECORDINGS) validate too', () => {
    const answers = readdirSync(dir!)
      .filter((f) => f.endsWith('.json') && !f.includes('openapi.test'))
      .flatMap((f) => JSON.parse(readFileSync(path.join(dir!, f), 'utf8')) as RecordedAnswer[])
    const { failures, checked } = checkAll(answers)
    expect(failures).toEqual([])
    expect(checked.size).toBeGreaterThan(50)
  })
})

/** Signs up, in (cookie and bearer), uses and ends sessions, and walks every admin endpoint, meeting each kind of error on the way. */
async function runLifecycle(clock: ReturnType<typeof startFakeClock>) {
  const anyone = new TestClient()
  await anyone.call('GET', '/.well-known/jwks.json')
  await anyone.call('GET', '/api/openapi.json')

  // Registration: 201, 409, 400, 413, 415, 403 CSRF_REJECTED.
  const email = `openapi-${Date.now()}@example.test`
  const password = 'openapi-password-1'
  expect((await anyone.call('POST', '/api/auth/register', { body: { email, password, name: 'Open API' } })).status).toBe(201)
  expect((await anyone.call('POST', '/api/auth/register', { body: { email, password } })).status).toBe(409)
  expect((await anyone.call('POST', '/api/auth/register', { body: { email: 'nope', password: 'short' } })).status).toBe(400)
  expect((await anyone.call('POST', '/api/auth/register', { raw: JSON.stringify({ email, password, name: 'x'.repeat(17_000) }), headers: { 'content-type': 'application/json' } })).status).toBe(413)
  expect((await anyone.call('POST', '/api/auth/register', { raw: 'email=a', headers: { 'content-type': 'text/plain' } })).status).toBe(415)
  expect((await anyone.call('POST', '/api/auth/register', { body: { email, password }, headers: { origin: 'https://evil.example' } })).status).toBe(403)

  // Cookie mode.
  const browser = new TestClient()
  expect((await browser.call('POST', '/api/auth/login', { body: { email, password: 'wrong-password-1' } })).status).toBe(401)
  expect((await browser.call('POST', '/api/auth/login', { body: { email, password, rememberMe: true } })).status).toBe(200)
  expect((await browser.call('GET', '/api/auth/session')).status).toBe(200)
  expect((await browser.call('GET', '/api/auth/session/timeline')).status).toBe(200)
  expect((await browser.call('GET', '/api/me', { gate: true })).status).toBe(200)
  expect((await browser.call('POST', '/api/auth/refresh')).status).toBe(200) // not due: rotated false
  expect((await anyone.call('GET', '/api/auth/session')).status).toBe(401)
  expect((await anyone.call('GET', '/api/me', { gate: true })).status).toBe(401)
  expect((await anyone.call('POST', '/api/auth/refresh')).status).toBe(401) // REFRESH_TOKEN_MISSING

  // Bearer mode: a second device of the same person.
  const cli = new BearerClient()
  expect((await cli.login(email, password)).status).toBe(200)
  expect((await cli.get('/api/me')).status).toBe(200)
  expect((await cli.get('/api/me', 'not-a-token')).status).toBe(401)
  const used = cli.refreshToken
  expect((await cli.refresh()).status).toBe(200) // rotated
  expect((await cli.refresh({ refreshToken: 'x.y.z' })).status).toBe(401) // REFRESH_TOKEN_INVALID
  clock.advance(31)
  expect((await cli.refresh({ refreshToken: used })).status).toBe(401) // REFRESH_TOKEN_REUSED: the session ends
  expect((await cli.get('/api/me')).status).toBe(401) // ACCESS_TOKEN_REVOKED
  expect((await cli.login(email, password)).status).toBe(200)

  // Sessions: list, revoke one (and a stranger's: 404), revoke the others.
  const sessions = await json<{ sessions: { id: string; current: boolean }[] }>(await browser.call('GET', '/api/auth/sessions'))
  const other = sessions.sessions.find((s) => !s.current)!
  expect((await browser.call('DELETE', `/api/auth/sessions/${other.id}`)).status).toBe(200)
  expect((await browser.call('DELETE', `/api/auth/sessions/${SAMPLE_ID}`)).status).toBe(404)
  expect((await cli.login(email, password)).status).toBe(200)
  expect((await browser.call('POST', '/api/auth/sessions/revoke-others')).status).toBe(200)

  // Password: wrong current one (400), then changed.
  expect((await browser.call('POST', '/api/auth/password', { body: { currentPassword: 'not-it-at-all', newPassword: 'another-password-2' } })).status).toBe(400)
  expect((await browser.call('POST', '/api/auth/password', { body: { currentPassword: password, newPassword: 'another-password-2' } })).status).toBe(200)

  // Admin endpoints: a plain user is 403 FORBIDDEN; an admin walks them all.
  expect((await browser.call('GET', '/api/admin/users', { gate: true })).status).toBe(403)
  const adminUser = await createUser(app.db, { role: 'admin' })
  const admin = new BearerClient()
  expect((await admin.login(adminUser.email, adminUser.password)).status).toBe(200)
  const me = await json<{ user: { id: string } }>(await browser.call('GET', '/api/auth/session'))
  expect((await admin.get('/api/admin/users?limit=2')).status).toBe(200)
  expect((await admin.get('/api/admin/users?limit=0')).status).toBe(400)
  expect((await admin.get(`/api/admin/audit?limit=5&event=login_succeeded&userId=${me.user.id}&from=2020-01-01T00:00:00Z`)).status).toBe(200)
  expect((await admin.get('/api/admin/audit')).status).toBe(200)
  expect((await admin.get('/api/admin/activity?range=1h')).status).toBe(200)
  expect((await admin.get('/api/admin/activity?range=2y')).status).toBe(400)
  expect((await admin.call('PATCH', `/api/admin/users/${me.user.id}`, { role: 'admin' })).status).toBe(200)
  expect((await admin.call('PATCH', `/api/admin/users/${SAMPLE_ID}`, { role: 'admin' })).status).toBe(404)
  expect((await browser.call('GET', '/api/me', { gate: true })).status).toBe(401) // ACCESS_TOKEN_STALE
  expect((await admin.call('POST', `/api/admin/users/${me.user.id}/revoke-sessions`)).status).toBe(200)
  expect((await admin.call('POST', `/api/admin/users/${SAMPLE_ID}/revoke-sessions`)).status).toBe(404)

  // Sign-out is idempotent: signed in, then again with nothing left.
  expect((await admin.call('POST', '/api/auth/logout')).status).toBe(200)
  expect((await browser.call('POST', '/api/auth/logout')).status).toBe(200)
  expect((await anyone.call('POST', '/api/auth/logout')).status).toBe(200)

  // 429: the login failure budget of one email and address.
  let limited = 0
  for (let i = 0; i < 5 && limited === 0; i++) {
    const response = await dispatch(anyone.request('POST', '/api/auth/login', { body: { email: 'nobody@example.test', password: 'wrong-password-1' } }))
    if (response.status === 429) limited++
  }
  expect(limited, 'no 429').toBe(1)
}
