'use client'

import { useState } from 'react'
import { ConfirmDialog } from '@/components/ui/dialog'
import { LocalTime } from '@/components/ui/local-time'
import { useToast } from '@/components/ui/toast'
import { useSessions } from '@/components/session/use-api'
import { useSessionClient } from '@/components/session/session-client-provider'
import type { DeviceSession } from '@/lib/shared/api-types'
import { flagLabel } from './session-flags'

// SPEC §9 /sessions: every device signed in to this account, this one marked, with a way to
// end one or all the others. Ending this device's session signs this tab (and its siblings) out.

type Confirming = { kind: 'one'; session: DeviceSession } | { kind: 'others'; count: number } | null

export function SessionList() {
  const { data, error, isLoading, mutate } = useSessions()
  const toast = useToast()
  const { api, events } = useSessionClient()
  const [confirming, setConfirming] = useState<Confirming>(null)
  const [pending, setPending] = useState(false)

  async function revoke() {
    if (!confirming || pending) return
    setPending(true)
    if (confirming.kind === 'one') {
      const { session } = confirming
      const result = await api.request(`/api/auth/sessions/${encodeURIComponent(session.id)}`, { method: 'DELETE' })
      if (result.ok && session.current) {
        // This device's session is over: the provider takes every tab to the login page.
        await events.signOut('user')
        return
      }
      if (result.ok) toast({ title: 'Device signed out', description: `${session.deviceLabel} must sign in again.`, tone: 'success' })
      else toast({ title: 'Couldn’t sign that device out', description: result.error.message, tone: 'error' })
    } else {
      const result = await api.request<{ revoked: number }>('/api/auth/sessions/revoke-others', { method: 'POST' })
      if (result.ok) toast({ title: 'Other devices signed out', description: devicesText(result.data?.revoked ?? confirming.count), tone: 'success' })
      else toast({ title: 'Couldn’t sign the other devices out', description: result.error.message, tone: 'error' })
    }
    setPending(false)
    setConfirming(null)
    await mutate()
  }

  const sessions = data?.sessions ?? []
  const others = sessions.filter((session) => !session.current).length
  return (
    <section className="card" aria-labelledby="devices-heading" aria-busy={isLoading}>
      <div className="page-head">
        <h2 id="devices-heading">Signed-in devices</h2>
        {others > 0 ? (
          <button type="button" className="button danger" onClick={() => setConfirming({ kind: 'others', count: others })}>
            Sign out all other devices
          </button>
        ) : null}
      </div>
      <p role="status" className="muted small">
        {isLoading ? 'Loading your devices…' : data ? `${devicesText(sessions.length)} signed in.` : null}
      </p>
      {error ? (
        <p className="alert error" role="alert">
          {error.message}
        </p>
      ) : null}
      <ul className="device-list">
        {sessions.map((session) => (
          <li key={session.id}>
            <DeviceCard session={session} onRevoke={() => setConfirming({ kind: 'one', session })} />
          </li>
        ))}
      </ul>
      {confirming ? (
        <ConfirmDialog
          title={confirming.kind === 'others' ? 'Sign out all other devices?' : confirming.session.current ? 'Sign out this device?' : `Sign out ${confirming.session.deviceLabel}?`}
          description={
            <p>
              {confirming.kind === 'others'
                ? `${devicesText(confirming.count)} will have to sign in again. This device stays signed in.`
                : confirming.session.current
                  ? 'This is the device you are using: you will be signed out here.'
                  : 'That device will have to sign in again.'}
            </p>
          }
          confirmLabel="Sign out"
          pendingLabel="Signing out…"
          pending={pending}
          onConfirm={revoke}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
    </section>
  )
}

const devicesText = (count: number) => (count === 1 ? '1 device' : `${count} devices`)

function DeviceCard({ session, onRevoke }: { session: DeviceSession; onRevoke: () => void }) {
  return (
    <article className="card" aria-label={session.current ? `${session.deviceLabel} (this device)` : session.deviceLabel}>
      <h3>{session.deviceLabel}</h3>
      {session.current || session.flags.length > 0 ? (
        <ul className="badges" aria-label="Status">
          {session.current ? <li className="badge current">This device</li> : null}
          {session.flags.map((flag) => (
            <li key={flag} className="badge warn">
              {flagLabel(flag)}
            </li>
          ))}
        </ul>
      ) : null}
      <dl className="details-list">
        <div className="details-row">
          <dt>IP address</dt>
          <dd>{session.ip ?? <span className="muted">Unknown</span>}</dd>
        </div>
        <div className="details-row">
          <dt>Signed in</dt>
          <dd>
            <LocalTime iso={session.createdAt} />
          </dd>
        </div>
        <div className="details-row">
          <dt>Last used</dt>
          <dd>
            <LocalTime iso={session.lastUsedAt} />
          </dd>
        </div>
        <div className="details-row">
          <dt>Expires</dt>
          <dd>
            <LocalTime iso={session.expiresAt} />
          </dd>
        </div>
      </dl>
      {/* The visible words start the accessible name (WCAG 2.5.3); the label says which device. */}
      <button type="button" className="button secondary small" onClick={onRevoke} aria-label={session.current ? undefined : `Sign out ${session.deviceLabel}`}>
        {session.current ? 'Sign out this device' : 'Sign out'}
      </button>
    </article>
  )
}
