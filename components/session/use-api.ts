// Reads through SWR with the session client's API as the fetcher, so every read gets the
// silent refresh and the sign-out handling of lib/client/api.ts.

import useSWR, { type SWRConfiguration } from 'swr'
import type { ApiError } from '@/lib/client/api-error'
import type { SessionsResponse } from '@/lib/shared/api-types'
import { useSessionClient } from './session-client-provider'

/** GET `path` through the API client; `null` waits (SWR conditional fetching). */
export function useApi<T>(path: string | null, config?: SWRConfiguration<T, ApiError>) {
  const { api } = useSessionClient()
  return useSWR<T, ApiError>(path, (key: string) => api.call<T>(key), config)
}

export const useSessions = (config?: SWRConfiguration<SessionsResponse, ApiError>) => useApi<SessionsResponse>('/api/auth/sessions', config)
