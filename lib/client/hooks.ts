// React hooks over the client session layer. Data goes through SWR with callApi as the
// fetcher, so every read gets the silent refresh and the sign-out handling of ./api.ts.

import { useSyncExternalStore } from 'react'
import useSWR, { type SWRConfiguration } from 'swr'
import { callApi } from './api'
import type { ApiError } from './api-error'
import { networkState, slowRefresh } from './connection-state'
import { getSessionClock, recordSession, subscribeSessionClock } from './session-clock'
import { expiryWarning } from './session-keeper'
import type { MeResponse, SessionResponse, SessionsResponse } from '@/lib/shared/api-types'

/** GET `path` through the API client; `null` waits (SWR conditional fetching). */
export function useApi<T>(path: string | null, config?: SWRConfiguration<T, ApiError>) {
  return useSWR<T, ApiError>(path, (key: string) => callApi<T>(key), config)
}

/** `{user, session}`; its times feed the shared clock, so the countdown follows any change. */
export function useSession(config?: SWRConfiguration<SessionResponse, ApiError>) {
  return useApi<SessionResponse>('/api/auth/session', {
    ...config,
    onSuccess(data, key, options) {
      recordSession(data.session)
      config?.onSuccess?.(data, key, options)
    },
  })
}

export const useSessions = (config?: SWRConfiguration<SessionsResponse, ApiError>) => useApi<SessionsResponse>('/api/auth/sessions', config)

export const useMe = (config?: SWRConfiguration<MeResponse, ApiError>) => useApi<MeResponse>('/api/me', config)

const nothingOnServer = () => null

/** The shared session clock (times only); null on the server and when signed out. */
export const useSessionClock = () => useSyncExternalStore(subscribeSessionClock, getSessionClock, nothingOnServer)

export const useNetworkState = () => useSyncExternalStore(networkState.subscribe, networkState.get, () => 'online' as const)

export const useSlowRefresh = () => useSyncExternalStore(slowRefresh.subscribe, slowRefresh.get, () => false)

export const useExpiryWarning = () => useSyncExternalStore(expiryWarning.subscribe, expiryWarning.get, nothingOnServer)
