// Test support for lib/client: a scripted stand-in for the server behind `fetch`, and session
// JSON shaped like the API's (SPEC §7). Test files only.

import { vi } from 'vitest'
import type { SessionInfo } from '@/lib/shared/api-types'

export type FakeRequest = { method: string; path: string; body: unknown }
export type FakeHandler = (request: FakeRequest) => Response | Promise<Response>

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

/** An RFC 9457 answer like the server's (SPEC §7). */
export function problem(status: number, code: string, headers: Record<string, string> = {}): Response {
  const body = { type: `/errors/${code}`, title: code, status, detail: code, code }
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } })
}

/** Replaces `fetch`; `calls` lists every request in order. */
export function installFakeApi(handler: FakeHandler) {
  const calls: FakeRequest[] = []
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = { method: init?.method ?? 'GET', path: String(input), body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined }
    calls.push(request)
    return handler(request)
  })
  vi.stubGlobal('fetch', fetchMock)
  return {
    calls,
    fetchMock,
    count: (method: string, path: string) => calls.filter((call) => call.method === method && call.path === path).length,
  }
}

/** A session whose access token ends `accessInMs` from `now` and whose absolute end is `endInMs` away. */
export function sessionInfo({ id = 'session-1', accessInMs = 15 * 60_000, endInMs = 12 * 3_600_000, now = Date.now() } = {}): SessionInfo {
  return {
    id,
    accessTokenExpiresAt: new Date(now + accessInMs).toISOString(),
    refreshTokenExpiresAt: new Date(now + endInMs).toISOString(),
    expiresAt: new Date(now + endInMs).toISOString(),
    rememberMe: false,
  }
}
