import { NextRequest } from 'next/server'
import { DecodeError } from 'next/dist/shared/lib/utils'
import { proxy } from '@/proxy'
import { PEER_HEADER } from '@/lib/http/client-info'
import { gateRunsOn } from './proxy-matcher'
import { recordAnswer } from './recorder'
import { findRoute, handlerFor } from './routes'
import { expect } from 'vitest'

// Drives the real route handlers and the real gate with real Requests, in process. A client keeps
// cookies like a browser (or tokens like a bearer client) so tests read like the spec.

export const ORIGIN = 'http://localhost:3000'

/** What the default TestClient and BearerClient send. */
export const BROWSER_HEADERS: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Chrome/130.0 Safari/537.36', 'accept-language': 'en' }
export const CLI_HEADERS: Record<string, string> = { 'user-agent': 'nj-cli/1.0', 'accept-language': 'en' }

/** Client headers as they reach a route handler from socket address `ip` (the server stamps PEER_HEADER, lib/http/peer-address.ts). */
export function connectingFrom(ip: string, headers: Record<string, string> = BROWSER_HEADERS): Record<string, string> {
  return { ...headers, [PEER_HEADER]: ip }
}

export type Problem = { type: string; title: string; status: number; detail: string; code: string; errors?: Record<string, string[]> }

/** Asserts an RFC 9457 problem with this status and code and returns its body. */
export async function expectProblem(response: Response, status: number, code: string): Promise<Problem> {
  const body = (await response.clone().json()) as Problem
  expect({ status: response.status, code: body.code }).toEqual({ status, code })
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  return body
}

export type CallOptions = {
  body?: unknown
  /** Raw body text (bad-input tests); wins over `body`. */
  raw?: string | Uint8Array
  headers?: Record<string, string>
  /** Run the request through proxy.ts first, as Next does for gated paths. */
  gate?: boolean
}

export class TestClient {
  readonly cookies = new Map<string, string>()
  constructor(readonly headers: Record<string, string> = { ...BROWSER_HEADERS }) {}

  request(method: string, path: string, options: CallOptions = {}): Request {
    const headers = new Headers({ ...this.headers, ...options.headers })
    if (this.cookies.size > 0 && !headers.has('cookie')) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    let body: BodyInit | undefined
    if (options.raw !== undefined) body = options.raw as BodyInit
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      if (!headers.has('content-type')) headers.set('content-type', 'application/json')
    }
    if (method !== 'GET' && !headers.has('origin') && !options.headers?.['origin-omit']) headers.set('origin', ORIGIN)
    headers.delete('origin-omit')
    return new Request(new URL(path, ORIGIN), { method, headers, body })
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
    let request = this.request(method, path, options)
    if (options.gate) {
      const gated = await proxy(new NextRequest(request))
      if (gated.headers.get('x-middleware-next') !== '1' && !gated.headers.has('x-middleware-rewrite')) {
        this.store(gated)
        await recordAnswer(request, gated)
        return gated
      }
      this.store(gated)
      request = forwardedAsNextDoes(gated, this.request(method, path, options))
    }
    const response = await dispatch(request)
    this.store(response)
    return response
  }

  /** Keeps Set-Cookie like a browser: Max-Age=0 deletes. */
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
}

/**
 * The request as Next hands it on after the gate: `NextResponse.next({ request: { headers } })`
 * replaces the request's headers with exactly the listed ones (x-middleware-override-headers,
 * each value in x-middleware-request-<name>).
 */
export function forwardedAsNextDoes(gated: Response, request: Request): Request {
  const override = gated.headers.get('x-middleware-override-headers')
  if (override === null) return request
  const headers = new Headers()
  for (const name of override.split(',').filter(Boolean)) {
    const value = gated.headers.get(`x-middleware-request-${name}`)
    if (value !== null) headers.set(name, value)
  }
  return new Request(request, { headers })
}

/**
 * Runs `request` through the route handler Next would pick from app/ (tests/support/routes.ts),
 * with `{ params: Promise<…> }` decoded as Next decodes them (an undecodable param: Next's 400).
 * Next's redirect of `/x/` to `/x` happens before routing and is not modelled: like Next's
 * matchers, `/x/` reaches the handler of `/x`.
 */
export async function dispatch(request: Request): Promise<Response> {
  const url = new URL(request.url)
  let found: ReturnType<typeof findRoute>
  try {
    found = findRoute(url.pathname)
  } catch (error) {
    if (error instanceof DecodeError) return new Response(null, { status: 400 })
    throw error
  }
  if (!found) return new Response(null, { status: 404 })
  const handler = await handlerFor(found.route, request.method)
  if (!handler) return new Response(null, { status: 405 })
  const response = await handler(request, { params: Promise.resolve(found.params) })
  await recordAnswer(request, response)
  return response
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T
}

export async function signIn(client: TestClient, email: string, password: string, extra: Record<string, unknown> = {}) {
  const response = await client.call('POST', '/api/auth/login', { body: { email, password, ...extra } })
  return { response, body: await json(response) }
}

/** A bearer-mode client: tokens in JSON, X-Device-Id, no cookies. */
export class BearerClient {
  accessToken = ''
  refreshToken = ''
  deviceId = ''
  constructor(readonly headers: Record<string, string> = { ...CLI_HEADERS }) {}

  async login(email: string, password: string, extra: Record<string, unknown> = {}) {
    const response = await dispatch(this.request('POST', '/api/auth/login', { email, password, transport: 'bearer', ...extra }))
    const body = await json<{ accessToken: string; refreshToken: string; deviceId: string }>(response.clone())
    if (response.status === 200) Object.assign(this, { accessToken: body.accessToken, refreshToken: body.refreshToken, deviceId: body.deviceId })
    return response
  }

  async refresh(options: { withAccess?: boolean; refreshToken?: string; deviceId?: string } = {}) {
    const headers: Record<string, string> = { 'x-device-id': options.deviceId ?? this.deviceId }
    if (options.withAccess) headers.authorization = `Bearer ${this.accessToken}`
    const response = await dispatch(this.request('POST', '/api/auth/refresh', { refreshToken: options.refreshToken ?? this.refreshToken }, headers))
    if (response.status === 200) {
      const body = await json<{ rotated: boolean; accessToken?: string; refreshToken?: string }>(response.clone())
      if (body.rotated) Object.assign(this, { accessToken: body.accessToken, refreshToken: body.refreshToken })
    }
    return response
  }

  /** A protected call through the gate and then the handler, as Next would run it. */
  async get(path: string, token = this.accessToken): Promise<Response> {
    return this.call('GET', path, undefined, token)
  }

  async call(method: string, path: string, body?: unknown, token = this.accessToken): Promise<Response> {
    const request = this.request(method, path, body, { authorization: `Bearer ${token}` })
    // As in Next, only where proxy.ts's matcher says (e.g. not /api/auth/*).
    if (gateRunsOn(new URL(path, ORIGIN).pathname)) {
      const gated = await proxy(new NextRequest(request.clone()))
      if (gated.headers.get('x-middleware-next') !== '1') {
        await recordAnswer(request, gated)
        return gated
      }
      return dispatch(forwardedAsNextDoes(gated, request))
    }
    return dispatch(request)
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Request {
    const all = new Headers({ ...this.headers, ...headers })
    if (body !== undefined) all.set('content-type', 'application/json')
    return new Request(new URL(path, ORIGIN), { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) })
  }
}
