'use client'

import Link from 'next/link'
import { useEffect, useId, useRef, useState } from 'react'
import { useSessionClock } from './session-client-provider'
import type { UserInfo } from '@/lib/shared/api-types'
import { SessionCountdown } from './expiry-countdown'
import { SignOutButton } from './sign-out-button'
import styles from './session.module.css'

// The header's profile menu: the session countdown always in view, and behind a disclosure
// button (APG "Disclosure", simpler and more predictable than role="menu") who is signed in,
// until when at most, where to go, and Sign out.

type ProfileMenuProps = { user: Pick<UserInfo, 'email' | 'name' | 'role' | 'permissions'>; accessTtlSeconds: number }

export function ProfileMenu({ user, accessTtlSeconds }: ProfileMenuProps) {
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const root = useRef<HTMLDivElement>(null)
  const trigger = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false)
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setOpen(false)
      trigger.current?.focus()
    }
    document.addEventListener('pointerdown', onPointerDown)
    document.addEventListener('keydown', onKeyDown)
    return () => {
      document.removeEventListener('pointerdown', onPointerDown)
      document.removeEventListener('keydown', onKeyDown)
    }
  }, [open])

  const label = user.name ?? user.email
  return (
    <div className={styles.profile} ref={root}>
      <SessionCountdown accessTtlSeconds={accessTtlSeconds} announce />
      <button ref={trigger} type="button" className={styles.trigger} aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((was) => !was)}>
        <span className={styles.avatar} aria-hidden="true">
          {label.charAt(0).toUpperCase()}
        </span>
        <span className={styles.triggerName}>
          <span className="visually-hidden">Account menu for </span>
          {label}
        </span>
      </button>
      {open ? (
        <div id={panelId} className={styles.panel}>
          <p>
            <strong>{user.email}</strong>
            <br />
            <span className="muted small">Role: {user.role}</span>
          </p>
          <SessionLimit />
          <nav aria-label="Account">
            <ul className={styles.panelLinks}>
              <li>
                <Link href="/dashboard">Dashboard</Link>
              </li>
              <li>
                <Link href="/sessions">Sessions and devices</Link>
              </li>
              <li>
                <Link href="/settings/password">Change password</Link>
              </li>
              {user.permissions.includes('users:read') ? (
                <li>
                  <Link href="/admin">Admin</Link>
                </li>
              ) : null}
              {user.permissions.includes('audit:read') ? (
                <li>
                  <Link href="/admin/activity">Activity</Link>
                </li>
              ) : null}
            </ul>
          </nav>
          <SignOutButton />
        </div>
      ) : null}
    </div>
  )
}

/** The absolute end: however active the person is, the session stops there (SPEC §2). */
function SessionLimit() {
  const clock = useSessionClock()
  if (!clock) return null
  const end = new Date(clock.expiresAt)
  return (
    <p className="muted small">
      Signed in until at most <time dateTime={end.toISOString()}>{end.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time>
      {clock.rememberMe ? ' (remembered on this device).' : ' (ends sooner if you close the browser).'}
    </p>
  )
}
