'use client'

import type { FormEvent } from 'react'
import { Field } from '@/components/forms/field'
import { FormAlert } from '@/components/forms/form-alert'
import { formProblemFrom, type FormProblem } from '@/components/forms/problem'
import { useFormAttempt } from '@/components/forms/use-form-attempt'
import { useToast } from '@/components/ui/toast'
import { useSessionClient } from '@/components/session/session-client-provider'
import type { SessionResponse } from '@/lib/shared/api-types'
import { problemMessage } from '@/lib/shared/friendly-messages'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_TOO_SHORT } from '@/lib/shared/password-policy'

// SPEC §7 POST /api/auth/password: other sessions end, this one is rotated. The answer's
// `session` carries the rotated token's times; the clock takes them the way a refresh does
// (lib/client/session-events.ts announceRotated), so this tab and its siblings count down from the new token.

const FIELDS = ['currentPassword', 'newPassword', 'confirmPassword']

/** Checks the browser can make without asking the server; null when there is nothing to fix. */
export function checkPasswords(newPassword: string, confirmPassword: string): FormProblem | null {
  const fieldErrors: Record<string, string[]> = {}
  if (newPassword.length < PASSWORD_MIN_LENGTH) fieldErrors.newPassword = [PASSWORD_TOO_SHORT]
  if (confirmPassword !== newPassword) fieldErrors.confirmPassword = ['The two new passwords don’t match']
  if (Object.keys(fieldErrors).length === 0) return null
  return { message: problemMessage('VALIDATION_FAILED'), fieldErrors, code: 'VALIDATION_FAILED' }
}

export function PasswordForm() {
  const toast = useToast()
  const { api, events } = useSessionClient()
  const { formRef, pending, problem, begin, fail, finish } = useFormAttempt()

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (pending) return
    const formElement = event.currentTarget
    const form = new FormData(formElement)
    const currentPassword = String(form.get('currentPassword') ?? '')
    const newPassword = String(form.get('newPassword') ?? '')
    const mistake = checkPasswords(newPassword, String(form.get('confirmPassword') ?? ''))
    if (mistake) return fail(mistake)
    begin()
    const result = await api.request<SessionResponse>('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } })
    if (!result.ok) return fail(formProblemFrom(result.error))
    finish()
    if (result.data?.session) events.announceRotated(result.data.session)
    formElement.reset()
    toast({ title: 'Password changed. Other devices were signed out.', tone: 'success' })
  }

  const errors = problem?.fieldErrors ?? {}
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      <FormAlert problem={problem} shownFields={FIELDS} />
      <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required errors={errors.currentPassword} />
      <Field
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        maxLength={PASSWORD_MAX_LENGTH}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        errors={errors.newPassword}
      />
      <Field name="confirmPassword" label="Confirm new password" type="password" autoComplete="new-password" required maxLength={PASSWORD_MAX_LENGTH} errors={errors.confirmPassword} />
      {/* aria-disabled, not disabled: a disabled button drops keyboard focus mid-submit. */}
      <button className="button" type="submit" aria-disabled={pending}>
        {pending ? 'Changing password…' : 'Change password'}
      </button>
    </form>
  )
}
