'use client'

import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { createPortal } from 'react-dom'
import styles from './dialog.module.css'

// A modal alert dialog (WAI-ARIA APG "Alert and Message Dialogs"): role alertdialog, labelled
// and described, focus moved in on open, kept in while open (Tab wraps; the rest of the page
// is inert), and given back on close. Escape calls `onEscape`: the caller decides what it means.

type AlertDialogProps = {
  title: string
  description: ReactNode
  /** The buttons. The one marked `data-autofocus` (else the first) gets focus on open. */
  children: ReactNode
  onEscape: () => void
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

const focusablesIn = (element: HTMLElement) => [...element.querySelectorAll<HTMLElement>(FOCUSABLE)]

/** Marks every other child of <body> inert (unfocusable, hidden from assistive tech); returns the undo. */
function makeRestInert(keep: HTMLElement): () => void {
  const changed = [...document.body.children].filter((el) => el !== keep && !el.hasAttribute('inert'))
  for (const el of changed) el.setAttribute('inert', '')
  return () => {
    for (const el of changed) el.removeAttribute('inert')
  }
}

export function AlertDialog({ title, description, children, onEscape }: AlertDialogProps) {
  const backdrop = useRef<HTMLDivElement>(null)
  const dialog = useRef<HTMLDivElement>(null)
  const titleId = useId()
  const descriptionId = useId()

  useEffect(() => {
    const box = dialog.current!
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const restore = makeRestInert(backdrop.current!)
    const focusInside = () => (box.querySelector<HTMLElement>('[data-autofocus]') ?? focusablesIn(box)[0] ?? box).focus()
    focusInside()
    // A click on the backdrop or a script may still move focus out: bring it back.
    const onFocusIn = (event: FocusEvent) => {
      if (!box.contains(event.target as Node)) focusInside()
    }
    document.addEventListener('focusin', onFocusIn)
    return () => {
      document.removeEventListener('focusin', onFocusIn)
      restore()
      if (previous?.isConnected) previous.focus()
    }
  }, [])

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault()
      onEscape()
      return
    }
    if (event.key !== 'Tab') return
    const all = focusablesIn(dialog.current!)
    const first = all[0]
    const last = all[all.length - 1]
    if (!first || !last) return event.preventDefault()
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }

  return createPortal(
    <div ref={backdrop} className={styles.backdrop}>
      <div
        ref={dialog}
        className={styles.dialog}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className={styles.title}>
          {title}
        </h2>
        <div id={descriptionId} className={styles.description}>
          {description}
        </div>
        <div className={styles.actions}>{children}</div>
      </div>
    </div>,
    document.body,
  )
}

type ConfirmDialogProps = {
  title: string
  description: ReactNode
  /** The destructive action's label, and what it says while it runs. */
  confirmLabel: string
  pendingLabel: string
  pending: boolean
  onConfirm: () => void
  onCancel: () => void
}

/** "Are you sure?" before a destructive action. Focus starts on Cancel; Escape cancels. */
export function ConfirmDialog({ title, description, confirmLabel, pendingLabel, pending, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <AlertDialog title={title} description={description} onEscape={onCancel}>
      <button type="button" className="button danger" onClick={onConfirm} aria-disabled={pending}>
        {pending ? pendingLabel : confirmLabel}
      </button>
      <button type="button" className="button secondary" data-autofocus onClick={onCancel}>
        Cancel
      </button>
    </AlertDialog>
  )
}
