'use client'

import { createContext, use, useState, useSyncExternalStore, type ReactNode } from 'react'
import { createSessionClient, type SessionClient } from '@/lib/client/session-client'

// The page's one session client (lib/client/session-client.ts), provided by the root layout so
// that every page has it: signed-in pages for the session keeper and the API calls, the login
// and register forms to announce a sign-in to the other tabs. Client-side navigations keep it.

const SessionClientContext = createContext<SessionClient | null>(null)

/** `client`: a prepared one (tests); otherwise one is made for this page. */
export function SessionClientProvider({ client, children }: { client?: SessionClient; children: ReactNode }) {
  const [own] = useState(() => client ?? createSessionClient())
  return <SessionClientContext value={client ?? own}>{children}</SessionClientContext>
}

export function useSessionClient(): SessionClient {
  const client = use(SessionClientContext)
  if (!client) throw new Error('useSessionClient needs a <SessionClientProvider> above it (the root layout has one)')
  return client
}

const nothingOnServer = () => null

/** The shared session clock (times only); null on the server and when signed out. */
export function useSessionClock() {
  const { clock } = useSessionClient()
  return useSyncExternalStore(clock.subscribe, clock.get, nothingOnServer)
}

export function useNetworkState() {
  const { network } = useSessionClient()
  return useSyncExternalStore(network.subscribe, network.get, () => 'online' as const)
}

export function useSlowRefresh() {
  const { slowRefresh } = useSessionClient()
  return useSyncExternalStore(slowRefresh.subscribe, slowRefresh.get, () => false)
}

export function useExpiryWarning() {
  const { expiryWarning } = useSessionClient().keeper
  return useSyncExternalStore(expiryWarning.subscribe, expiryWarning.get, nothingOnServer)
}
