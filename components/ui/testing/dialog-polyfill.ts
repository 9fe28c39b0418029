// Test support: jsdom's <dialog> has `open` but no showModal() or close(). A minimal stand-in
// for what components/ui/dialog.tsx relies on: showModal() opens it as a modal, close() closes
// it with a `close` event, and Escape sends the top modal a cancelable `cancel` event that
// closes it unless prevented. The background's inertness is the browser's and is not modelled:
// tests check that the dialog was opened as a modal (`isModal`). Import it for its effect.

const modals = new Set<HTMLDialogElement>()

/** Opened with showModal() and still open. */
export const isModal = (dialog: Element) => dialog instanceof HTMLDialogElement && dialog.open && modals.has(dialog)

if (typeof HTMLDialogElement.prototype.showModal !== 'function') {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    if (this.open) throw new DOMException('The dialog is already open.', 'InvalidStateError')
    this.setAttribute('open', '')
    modals.add(this)
  }
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    if (!this.open) return
    this.removeAttribute('open')
    modals.delete(this)
    this.dispatchEvent(new Event('close'))
  }
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return
    const top = [...modals].filter((dialog) => dialog.isConnected && dialog.open).at(-1)
    if (top && top.dispatchEvent(new Event('cancel', { cancelable: true }))) top.close()
  })
}
