'use client'

import { useEffect, useMemo, type ReactNode } from 'react'
import { SWRConfig, type SWRConfiguration } from 'swr'
import { ToastProvider, useToast } from '@/components/ui/toast'
import { ApiError } from '@/lib/client/api-error'
import type { SessionClient } from '@/lib/client/session-client'
import { loginUrl, signOutAftermath } from '@/lib/client/sign-out-reasons'
import type { SessionInfo } from '@/lib/shared/api-types'
import { ExpiryWarningDialog } from './expiry-warning-dialog'
import { useSessionClient } from './session-client-provider'

// Everything a signed-in page needs around it (SPEC §9): SWR over the API client, toasts, the
// session keeper (proactive refresh, idle warning, sign-out at expiry), other tabs' news, and
// what happens when the session ends. The session client itself comes from the root layout
// (./session-client-provider.tsx). Times come from the server layout as props: the
// browser never reads configuration or tokens.

type SessionProviderProps = {
  /** The session the server rendered this page for; null when signed out. */
  initialSession: SessionInfo | null
  /** AUTH_PROACTIVE_REFRESH and AUTH_WARNING_BEFORE, in seconds. */
  proactiveRefreshSeconds: number
  warningBeforeSeconds: number
  children: ReactNode
}

function swrConfigFor(client: SessionClient): SWRConfiguration {
  return {
    // A signed-out tab stops asking: every answer would be another 401.
    isPaused: client.events.isSignedOut,
    onErrorRetry(error, _key, _config, revalidate, { retryCount }) {
      // The API client already retried network failures; 4xx answers will not change by asking again.
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) return
      if (retryCount >= 3) return
      setTimeout(() => void revalidate({ retryCount }), 5000 * 2 ** retryCount)
    },
  }
}

export function SessionProvider({ initialSession, proactiveRefreshSeconds, warningBeforeSeconds, children }: SessionProviderProps) {
  const client = useSessionClient()
  const swrConfig = useMemo(() => swrConfigFor(client), [client])
  return (
    <SWRConfig value={swrConfig}>
      <ToastProvider>
        <SessionLifecycle initialSession={initialSession} proactiveMs={proactiveRefreshSeconds * 1000} warningMs={warningBeforeSeconds * 1000} />
        {children}
        <ExpiryWarningDialog />
      </ToastProvider>
    </SWRConfig>
  )
}

type LifecycleProps = { initialSession: SessionInfo | null; proactiveMs: number; warningMs: number }

function SessionLifecycle({ initialSession, proactiveMs, warningMs }: LifecycleProps) {
  const toast = useToast()
  const client = useSessionClient()

  useEffect(() => {
    const { clock, events, keeper } = client
    if (!initialSession) {
      clock.clear()
      return
    }
    const stopSignedOut = events.onSignedOut((reason) => {
      const aftermath = signOutAftermath(reason)
      if (aftermath.kind === 'login') return client.leavePage(loginUrl(window.location, aftermath))
      // Revoked elsewhere: stay on the page, but say so clearly and offer the way back in.
      toast({
        title: 'You were signed out',
        description: aftermath.message,
        tone: 'error',
        action: { label: 'Sign in again', href: loginUrl(window.location, { withNext: true, expired: false }) },
      })
    })
    events.announceSignedIn(initialSession)
    const stopFollowing = events.followOtherTabs((message) => {
      // Someone signed in (again) in another tab: this page shows the old session, or none.
      if (message.type === 'signed-in' && message.session.id !== initialSession.id) window.location.reload()
    })
    const stopKeeper = keeper.start({ proactiveMs, warningMs, activeAtStart: true })
    return () => {
      stopKeeper()
      stopFollowing()
      stopSignedOut()
    }
  }, [client, initialSession, proactiveMs, warningMs, toast])

  return null
}
