// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AlertDialog, ConfirmDialog } from './dialog'
import { isModal } from './testing/dialog-polyfill'

afterEach(cleanup)

function Page({ onEscape = () => {} }: { onEscape?: () => void }) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      <a href="/elsewhere">A link behind the dialog</a>
      {open ? (
        <AlertDialog title="Your session is about to expire" description={<p>Stay signed in?</p>} onEscape={onEscape}>
          <button type="button" data-autofocus onClick={() => setOpen(false)}>
            Stay signed in
          </button>
          <button type="button">Log out</button>
        </AlertDialog>
      ) : null}
    </>
  )
}

describe('SPEC §9 the warning dialog is accessible', () => {
  it('is an alertdialog, modal, named by its title and described by its text', async () => {
    render(<Page />)
    await userEvent.setup().click(screen.getByRole('button', { name: 'Open' }))
    const dialog = screen.getByRole('alertdialog', { name: 'Your session is about to expire' })
    expect(dialog).toHaveProperty('ariaModal', 'true')
    expect(document.getElementById(dialog.getAttribute('aria-describedby')!)?.textContent).toBe('Stay signed in?')
  })

  // Tab and Shift+Tab stay inside because the browser makes the rest of the page inert around
  // a modal <dialog> (showModal): jsdom models neither, so these check that it opens as one.
  it('moves focus to the chosen button, in a dialog opened as a modal', async () => {
    const user = userEvent.setup()
    render(<Page />)
    await user.click(screen.getByRole('button', { name: 'Open' }))
    const stay = screen.getByRole('button', { name: 'Stay signed in' })
    expect(document.activeElement).toBe(stay)
    expect(isModal(screen.getByRole('alertdialog'))).toBe(true)
  })

  it('is modal (the rest of the page inert) while open, and gives focus back on close', async () => {
    const user = userEvent.setup()
    render(<Page />)
    const opener = screen.getByRole('button', { name: 'Open' })
    await user.click(opener)
    const dialog = screen.getByRole('alertdialog')
    expect(isModal(dialog)).toBe(true)

    await user.click(screen.getByRole('button', { name: 'Stay signed in' }))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(isModal(dialog)).toBe(false)
    expect(document.activeElement).toBe(opener)
  })

  it('Escape calls onEscape (the caller decides: for the warning it means stay)', async () => {
    const user = userEvent.setup()
    const onEscape = vi.fn()
    render(<Page onEscape={onEscape} />)
    await user.click(screen.getByRole('button', { name: 'Open' }))
    await user.keyboard('{Escape}')
    expect(onEscape).toHaveBeenCalledTimes(1)
  })
})

describe('the dialog is open exactly while it is shown', () => {
  it('closed by the browser while still shown (a second Escape), it opens again', async () => {
    const user = userEvent.setup()
    render(<Page />)
    await user.click(screen.getByRole('button', { name: 'Open' }))
    const dialog = screen.getByRole('alertdialog') as HTMLDialogElement
    dialog.close()
    expect(isModal(dialog)).toBe(true)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stay signed in' }))
  })
})

describe('ConfirmDialog: "are you sure?" before a destructive action', () => {
  const props = { title: 'Sign out all other devices?', description: <p>2 devices will have to sign in again.</p>, confirmLabel: 'Sign out', pendingLabel: 'Signing out…' }

  it('starts on Cancel, so Enter right away destroys nothing; Escape cancels', async () => {
    const onConfirm = vi.fn()
    const onCancel = vi.fn()
    render(<ConfirmDialog {...props} pending={false} onConfirm={onConfirm} onCancel={onCancel} />)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }))
    const user = userEvent.setup()
    await user.keyboard('{Enter}')
    await user.keyboard('{Escape}')
    expect(onCancel).toHaveBeenCalledTimes(2)
    expect(onConfirm).not.toHaveBeenCalled()
    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    expect(onConfirm).toHaveBeenCalledTimes(1)
  })

  it('while the action runs, says so on the button', () => {
    render(<ConfirmDialog {...props} pending onConfirm={() => {}} onCancel={() => {}} />)
    const button = screen.getByRole('button', { name: 'Signing out…' })
    expect(button.getAttribute('aria-disabled')).toBe('true')
  })
})
