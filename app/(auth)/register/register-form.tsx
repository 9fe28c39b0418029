'use client'

import Link from 'next/link'
import type { FormEvent } from 'react'
import { Field } from '@/components/forms/field'
import { FormAlert } from '@/components/forms/form-alert'
import { formProblemFrom, type FormProblem } from '@/components/forms/problem'
import { useFormAttempt } from '@/components/forms/use-form-attempt'
import { useSessionClient } from '@/components/session/session-client-provider'
import type { SessionResponse } from '@/lib/shared/api-types'
import { PASSWORD_MIN_LENGTH } from '@/lib/shared/password-policy'

const FIELDS = ['email', 'password', 'name']

const SIGN_IN_AFTER_REGISTER_FAILED: FormProblem = {
  message: 'Your account was created, but we couldn’t sign you in automatically. Sign in to continue.',
  fieldErrors: {},
  code: null,
}

/** Registers (201, no session: SPEC §7), then signs in as the login form does and goes to `next`. */
export function RegisterForm({ next }: { next: string }) {
  const client = useSessionClient()
  const { formRef, pending, problem, begin, fail } = useFormAttempt()

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (pending) return
    const form = new FormData(event.currentTarget)
    const email = String(form.get('email') ?? '')
    const password = String(form.get('password') ?? '')
    const name = String(form.get('name') ?? '').trim()
    begin()

    const registered = await client.api.request('/api/auth/register', {
      method: 'POST',
      body: name ? { email, password, name } : { email, password },
    })
    if (!registered.ok) return fail(formProblemFrom(registered.error))
    const signedIn = await client.api.request<SessionResponse>('/api/auth/login', { method: 'POST', body: { email, password, rememberMe: false } })
    if (!signedIn.ok) return fail(SIGN_IN_AFTER_REGISTER_FAILED)
    if (signedIn.data?.session) client.events.announceSignedIn(signedIn.data.session)
    // A full page load, as after sign-in (see ../login/login-form.tsx).
    client.leavePage(next)
  }

  const errors = problem?.fieldErrors ?? {}
  const offerSignIn = problem?.code === 'EMAIL_TAKEN' || problem === SIGN_IN_AFTER_REGISTER_FAILED
  return (
    <form ref={formRef} onSubmit={onSubmit}>
      <FormAlert problem={problem} shownFields={FIELDS}>
        {offerSignIn ? (
          <p>
            <Link href="/login">Go to sign in</Link>
          </p>
        ) : null}
      </FormAlert>
      <Field name="email" label="Email" type="email" autoComplete="email" required errors={errors.email} />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        errors={errors.password}
      />
      <Field name="name" label="Name" type="text" autoComplete="name" errors={errors.name} />
      <button className="button block" type="submit" aria-disabled={pending}>
        {pending ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  )
}
