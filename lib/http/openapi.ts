import { z } from 'zod'
import { ERRORS, type ErrorCode } from '@/lib/shared/error-codes'
import * as schemas from './api-schemas'
import { cookieNames } from './cookies'
import { OPERATIONS, TAGS, type OperationSpec } from './openapi-operations'

// GET /api/openapi.json (SPEC §7): OpenAPI 3.1, written from the zod schemas the route handlers
// parse and answer with (lib/http/api-schemas.ts) through zod 4's own JSON Schema output (draft
// 2020-12, the dialect of OpenAPI 3.1), and the operation table of ./openapi-operations.ts.
// Requests are described as zod accepts them (io: 'input': defaults make a field optional),
// answers as the handlers produce them (io: 'output', additionalProperties: false).

type JsonSchema = Record<string, unknown>
export type OpenApiDocument = { openapi: string; info: JsonSchema; paths: Record<string, Record<string, JsonSchema>>; components: { schemas: Record<string, JsonSchema> } & JsonSchema } & JsonSchema

const REQUESTS = ['LoginBody', 'RegisterBody', 'RefreshBody', 'LogoutBody', 'PasswordBody', 'RoleBody'] as const
const ANSWERS = [
  'UserInfo', 'SessionInfo', 'SessionAnswer', 'RefreshAnswer', 'RegisterAnswer', 'LogoutAnswer', 'AccessClaims', 'MeAnswer', 'DeviceSession', 'SessionsAnswer',
  'RevokedAnswer', 'RevokeOneAnswer', 'TimelineAnswer', 'UsersAnswer', 'UserAnswer', 'AuditAnswer', 'ActivityAnswer', 'JwksAnswer', 'Problem',
] as const

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

/** The named zod schemas as components.schemas, shared parts as $refs between them. */
function componentSchemas(): Record<string, JsonSchema> {
  const convert = (names: readonly (keyof typeof schemas)[], io: 'input' | 'output') => {
    const registry = z.registry<{ id: string }>()
    for (const name of names) registry.add(schemas[name] as z.ZodType, { id: name })
    const { schemas: out } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: (id) => ref(id).$ref })
    // Each is a Schema Object inside this document: its own $schema and $id would make it a separate resource.
    return Object.fromEntries(Object.entries(out).map(([name, { $schema: _s, $id: _i, ...schema }]) => [name, schema as JsonSchema]))
  }
  const openApiDocument = {
    type: 'object',
    required: ['openapi', 'info', 'paths'],
    properties: { openapi: { type: 'string', pattern: '^3\\.1\\.' }, info: { type: 'object' }, paths: { type: 'object' } },
    description: 'An OpenAPI 3.1 document (this one).',
  }
  return { ...convert(REQUESTS, 'input'), ...convert(ANSWERS, 'output'), OpenApiDocument: openApiDocument }
}

const ACCESS_FAILURES: ErrorCode[] = ['UNAUTHENTICATED', 'ACCESS_TOKEN_EXPIRED', 'ACCESS_TOKEN_INVALID', 'ACCESS_TOKEN_REVOKED', 'ACCESS_TOKEN_STALE']

/** Every code an operation can answer: its own, and those of its kind. */
export function operationErrors(op: OperationSpec): ErrorCode[] {
  const codes = new Set<ErrorCode>(op.errors)
  const add = (...more: ErrorCode[]) => more.forEach((code) => codes.add(code))
  if (op.body) add('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  // A query parameter out of range, or a path param with a malformed %-escape (the gate answers 400).
  if (op.query || op.path.includes('{')) add('VALIDATION_FAILED')
  if (op.access !== 'public' && op.access !== 'refresh') add(...ACCESS_FAILURES)
  if (op.access.includes(':')) add('FORBIDDEN')
  if (op.csrf) add('CSRF_REJECTED')
  if (op.storage !== false) add('SERVICE_UNAVAILABLE')
  add('INTERNAL')
  return [...codes]
}

const RETRY_AFTER = { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } }
const SET_COOKIE = {
  sets: { description: 'Cookie mode: the HttpOnly access, refresh and device-id cookies (never in bearer mode).', schema: { type: 'string' } },
  clears: { description: 'Cookie mode: the access and refresh cookies, cleared.', schema: { type: 'string' } },
}

/** problem+json answers grouped by status, each limited to the codes it can carry. */
function errorResponses(op: OperationSpec): Record<string, JsonSchema> {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of operationErrors(op)) byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code])
  return Object.fromEntries(
    [...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => {
      const schema = { allOf: [ref('Problem'), { properties: { code: { enum: codes }, status: { const: status } } }] }
      const headers = status === 429 || status === 503 ? { 'Retry-After': RETRY_AFTER } : undefined
      const description = codes.map((code) => `\`${code}\`: ${ERRORS[code].title}.`).join(' ')
      return [String(status), { description, ...(headers ? { headers } : {}), content: { 'application/problem+json': { schema } } }]
    }),
  )
}

function parameters(op: OperationSpec): JsonSchema[] {
  const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
  if (!op.query) return inPath
  const { properties = {}, required = [] } = z.toJSONSchema(op.query, { target: 'draft-2020-12', io: 'input' }) as { properties?: Record<string, JsonSchema>; required?: string[] }
  const inQuery = Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.includes(name), schema }))
  return [...inPath, ...inQuery]
}

const SECURITY: Record<OperationSpec['access'] | 'permission', JsonSchema[]> = {
  public: [],
  refresh: [{ refreshCookie: [] }, { refreshBody: [] }],
  signedIn: [{ bearerAuth: [] }, { cookieAuth: [] }],
  permission: [{ bearerAuth: [] }, { cookieAuth: [] }],
}

function operation(op: OperationSpec): JsonSchema {
  const who = op.access.includes(':') ? `Needs the \`${op.access}\` permission.` : op.access === 'signedIn' ? 'Signed in.' : op.access === 'refresh' ? 'A refresh token holder.' : 'Anyone.'
  const okHeaders = op.ok.setsCookies ? { headers: { 'Set-Cookie': SET_COOKIE[op.ok.setsCookies] } } : {}
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: `${who} ${op.description}${op.csrf ? ' Cookie mode: CSRF-checked.' : ''}`,
    security: SECURITY[op.access.includes(':') ? 'permission' : op.access],
    ...(op.query || op.path.includes('{') ? { parameters: parameters(op) } : {}),
    ...(op.body ? { requestBody: { required: !op.body.optional, content: { 'application/json': { schema: ref(op.body.schema) } } } } : {}),
    responses: {
      [op.ok.status]: { description: op.ok.description, ...okHeaders, content: { 'application/json': { schema: ref(op.ok.schema) } } },
      ...errorResponses(op),
    },
  }
}

const names = cookieNames(true)

let built: OpenApiDocument | undefined

/** The document (built once per process: it depends on nothing but the code). */
export function openApiDocument(): OpenApiDocument {
  if (built) return built
  const paths: OpenApiDocument['paths'] = {}
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op)
  built = {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: 'NJ-JWT API',
      version: '1.0.0',
      description:
        'JWT access tokens (ES256, `typ: at+jwt`) and rotating refresh tokens. Every error is RFC 9457 `application/problem+json` with a `code`; its `type` is a page of this site that explains it (`/errors/{code}`). Bodies over 16 KiB are 413, non-JSON bodies 415, invalid fields 400 `VALIDATION_FAILED` with per-field `errors`.',
    },
    servers: [{ url: '/', description: 'This site' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Bearer mode: the `accessToken` of a `"transport": "bearer"` sign-in, in `Authorization: Bearer …`. Not CSRF-checked: it carries no cookie.' },
        cookieAuth: {
          type: 'apiKey',
          in: 'cookie',
          name: names.access,
          description: `Cookie mode (browsers, the default): the HttpOnly access cookie set at sign-in (\`${names.access}\` over https, without \`__Host-\` on plain-http localhost). Every POST, PATCH and DELETE in cookie mode is CSRF-checked: an \`Origin\` (or, without one, \`Sec-Fetch-Site\`) that is not this site's is 403 \`CSRF_REJECTED\`.`,
        },
        refreshCookie: { type: 'apiKey', in: 'cookie', name: names.refresh, description: 'Cookie mode refresh: the HttpOnly refresh cookie (Path=/), with the device-id cookie. CSRF-checked.' },
        refreshBody: { type: 'apiKey', in: 'header', name: 'X-Device-Id', description: 'Bearer mode refresh: `{ "refreshToken": "…" }` in the JSON body and the `deviceId` of the sign-in in `X-Device-Id`.' },
      },
    },
  }
  return built
}
