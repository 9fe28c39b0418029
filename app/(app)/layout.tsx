import type { ReactNode } from 'react'
import { ConnectionStatus } from '@/components/session/connection-status'
import { ProfileMenu } from '@/components/session/profile-menu'
import { SessionProvider } from '@/components/session/session-provider'
import styles from '@/components/session/session.module.css'
import { browserTimings } from '@/lib/auth/browser-timings'
import { getCurrentUser } from '@/lib/auth/current-user'
import { pageAccessToken } from '@/lib/http/auth-edge'
import { sessionView } from '@/lib/auth/views'
import { currentRefreshExpiry } from '@/lib/auth/sessions'
import { getConfig } from '@/lib/config'

// Signed-in pages: the session provider (silent refresh, idle warning, other tabs) and the
// session bar with the profile menu and its countdown. The client gets times as props from
// here, never configuration or tokens (SPEC §3). Pages still verify the user themselves.

async function loadSession() {
  const current = await getCurrentUser(await pageAccessToken())
  if (!current) return null
  const stored = await currentRefreshExpiry(current.claims.sid)
  if (!stored || stored.session.revokedAt) return null
  return { user: current.user, session: sessionView(stored.session, current.claims.exp, stored.refreshExp) }
}

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const signedIn = await loadSession()
  const { ttl } = getConfig()
  const { proactiveRefreshSeconds, warningBeforeSeconds } = browserTimings(ttl)
  return (
    <SessionProvider initialSession={signedIn?.session ?? null} proactiveRefreshSeconds={proactiveRefreshSeconds} warningBeforeSeconds={warningBeforeSeconds}>
      {signedIn ? (
        <div className={styles.bar}>
          <ConnectionStatus />
          <ProfileMenu user={signedIn.user} accessTtlSeconds={ttl.access} />
        </div>
      ) : null}
      {children}
    </SessionProvider>
  )
}
