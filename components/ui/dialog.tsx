'use client'

import { useEffect, useId, useRef, type ReactNode, type SyntheticEvent } from 'react'
import styles from './dialog.module.css'

// A modal alert dialog (WAI-ARIA APG "Alert and Message Dialogs") on the native <dialog> with
// showModal(): the browser puts it in the top layer, makes the rest of the page inert (no
// focus, no clicks, hidden from assistive tech) and turns Escape into a `cancel` event. Role
// alertdialog, labelled by its title and described by its text; focus goes to the button marked
// `data-autofocus` on open and back where it was on close. React decides when it closes: the
// dialog is open exactly while it is mounted, and Escape calls `onEscape`, whose caller decides
// what it means.

type AlertDialogProps = {
  title: string
  description: ReactNode
  /** The buttons. The one marked `data-autofocus` (else the first) gets focus on open. */
  children: ReactNode
  onEscape: () => void
}

export function AlertDialog({ title, description, children, onEscape }: AlertDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const descriptionId = useId()
  const mounted = useRef(false)

  useEffect(() => {
    const box = dialog.current!
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    mounted.current = true
    open(box)
    return () => {
      mounted.current = false
      if (box.open) box.close()
      if (previous?.isConnected) previous.focus()
    }
  }, [])

  function onCancel(event: SyntheticEvent<HTMLDialogElement>) {
    // Escape: the caller decides; the dialog closes when the caller unmounts it.
    event.preventDefault()
    onEscape()
  }

  function onClose() {
    // A second Escape without other input in between closes a dialog whatever `cancel` says
    // (close watchers' anti-abuse rule). Still mounted means still asked: show it again.
    if (mounted.current && dialog.current && !dialog.current.open) open(dialog.current)
  }

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={onCancel}
      onClose={onClose}
    >
      <h2 id={titleId} className={styles.title}>
        {title}
      </h2>
      <div id={descriptionId} className={styles.description}>
        {description}
      </div>
      <div className={styles.actions}>{children}</div>
    </dialog>
  )
}

/** showModal() focuses the first focusable element; the chosen one may be another. */
function open(box: HTMLDialogElement) {
  box.showModal()
  box.querySelector<HTMLElement>('[data-autofocus]')?.focus()
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
