// The one way the browser calls the API (SPEC §9 "silent refresh"). A 401 that a refresh
// cures (ACCESS_TOKEN_EXPIRED / _STALE) triggers one refresh, shared by every call that
// failed meanwhile, and each call is replayed once; a 401 nothing cures signs every tab out.

import { REFRESHABLE_CODES } from '@/lib/shared/error-codes'
import { apiErrorFrom, networkApiError, type ApiError } from './api-error'
import { NetworkError, type SendInit, type SendRequest } from './http'
import type { RefreshSession } from './refresh'
import type { SessionEvents } from './session-events'
import { SIGNED_OUT_CODES } from './sign-out-reasons'

export type ApiResult<T> =
  | { ok: true; status: number; statusText: string; data: T; replayed: boolean }
  | { ok: false; error: ApiError }

export type ApiInit = SendInit

export type Api = {
  /** Calls the API; expected failures (4xx/5xx, offline) come back as values, never thrown. */
  request: <T>(path: string, init?: ApiInit) => Promise<ApiResult<T>>
  /** `request` for SWR and other promise users: the data, or the ApiError thrown. */
  call: <T>(path: string, init?: ApiInit) => Promise<T>
}

type ApiDeps = { send: SendRequest; refresh: RefreshSession; events: SessionEvents; now: () => number }

export function createApi({ send: sendRequest, refresh, events, now }: ApiDeps): Api {
  async function send(path: string, init: ApiInit): Promise<Response | ApiError> {
    try {
      return await sendRequest(path, init)
    } catch (error) {
      if (error instanceof NetworkError) return networkApiError()
      throw error
    }
  }

  function signedOutBy(error: ApiError): ApiResult<never> {
    // INVALID_CREDENTIALS (a wrong password) is a 401 too, but nobody's session ended.
    if (error.code && SIGNED_OUT_CODES.has(error.code)) events.announceSignedOut(error.code)
    return { ok: false, error }
  }

  async function request<T>(path: string, init: ApiInit = {}): Promise<ApiResult<T>> {
    const sentAt = now()
    let response = await send(path, init)
    let replayed = false
    if (!(response instanceof Response)) return { ok: false, error: response }

    if (response.status === 401) {
      const error = await apiErrorFrom(response)
      if (!error.code || !REFRESHABLE_CODES.has(error.code)) return signedOutBy(error)
      const refreshed = await refresh({ since: sentAt })
      if (!refreshed.ok) return { ok: false, error: refreshed.error }
      response = await send(path, init)
      replayed = true
      if (!(response instanceof Response)) return { ok: false, error: response }
      // One replay only: a second 401 is final, whatever its code.
      if (response.status === 401) return signedOutBy(await apiErrorFrom(response))
    }

    if (!response.ok) return { ok: false, error: await apiErrorFrom(response) }
    const data = (response.status === 204 ? null : await response.json().catch(() => null)) as T
    return { ok: true, status: response.status, statusText: response.statusText, data, replayed }
  }

  return {
    request,
    async call<T>(path: string, init?: ApiInit) {
      const result = await request<T>(path, init)
      if (!result.ok) throw result.error
      return result.data
    },
  }
}
