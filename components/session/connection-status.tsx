'use client'

import { useEffect } from 'react'
import { useNetworkState, useSessionClient, useSlowRefresh } from './session-client-provider'
import { Spinner } from '@/components/ui/spinner'
import styles from './session.module.css'

/** Says when the network is failing and when a session refresh is slow (SPEC §9: over 1 s only). */
export function ConnectionStatus() {
  const { network: networkState } = useSessionClient()
  const network = useNetworkState()
  const slow = useSlowRefresh()

  // The browser's "online" is a hint, not proof; the next request confirms it either way.
  useEffect(() => {
    const onOnline = () => networkState.set('online')
    window.addEventListener('online', onOnline)
    return () => window.removeEventListener('online', onOnline)
  }, [networkState])

  return (
    <div className={styles.connection} role="status">
      {network === 'reconnecting' ? (
        <>
          <Spinner /> Connection lost. Reconnecting…
        </>
      ) : null}
      {network === 'offline' ? 'You’re offline. We’ll try again when the connection is back.' : null}
      {slow && network === 'online' ? (
        <>
          <Spinner /> Refreshing your session…
        </>
      ) : null}
    </div>
  )
}
