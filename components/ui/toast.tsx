'use client'

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import styles from './toast.module.css'

// Toasts for session events (SPEC §9; never for a silent refresh). The two live regions are
// in the page from the start, empty: screen readers only announce changes to a region they
// already know. Errors go to the assertive one, everything else to the polite one.

export type ToastInput = {
  title: string
  description?: string
  tone?: 'info' | 'success' | 'error'
  /** A link the person may follow, e.g. "Sign in again". */
  action?: { label: string; href: string }
  /** Milliseconds before it leaves by itself; 0 = stays until closed. */
  duration?: number
}

type Toast = ToastInput & { id: number }

const ShowToast = createContext<(toast: ToastInput) => void>(() => {})

/** Shows a toast; outside a ToastProvider it does nothing. */
export const useToast = () => useContext(ShowToast)

let nextId = 1

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const close = useCallback((id: number) => setToasts((all) => all.filter((toast) => toast.id !== id)), [])
  const show = useCallback((toast: ToastInput) => {
    const id = nextId++
    // The same news twice (e.g. from two tabs' events) is one toast.
    setToasts((all) => (all.some((t) => t.title === toast.title && t.description === toast.description) ? all : [...all, { ...toast, id }]))
  }, [])
  const urgent = useMemo(() => toasts.filter((toast) => toast.tone === 'error'), [toasts])
  const polite = useMemo(() => toasts.filter((toast) => toast.tone !== 'error'), [toasts])

  return (
    <ShowToast value={show}>
      {children}
      <div className={styles.viewport}>
        <div role="alert" className={styles.region}>
          {urgent.map((toast) => (
            <ToastCard key={toast.id} toast={toast} onClose={close} />
          ))}
        </div>
        <div role="status" className={styles.region}>
          {polite.map((toast) => (
            <ToastCard key={toast.id} toast={toast} onClose={close} />
          ))}
        </div>
      </div>
    </ShowToast>
  )
}

function ToastCard({ toast, onClose }: { toast: Toast; onClose: (id: number) => void }) {
  const duration = toast.duration ?? (toast.tone === 'error' ? 0 : 5000)
  useEffect(() => {
    if (duration === 0) return
    const timer = setTimeout(() => onClose(toast.id), duration)
    return () => clearTimeout(timer)
  }, [duration, onClose, toast.id])

  return (
    <div className={`${styles.toast} ${styles[toast.tone ?? 'info']}`}>
      <div className={styles.body}>
        <p className={styles.title}>{toast.title}</p>
        {toast.description ? <p className={styles.description}>{toast.description}</p> : null}
        {toast.action ? (
          <a className={styles.action} href={toast.action.href}>
            {toast.action.label}
          </a>
        ) : null}
      </div>
      <button type="button" className={styles.close} onClick={() => onClose(toast.id)} aria-label={`Dismiss: ${toast.title}`}>
        ×
      </button>
    </div>
  )
}
