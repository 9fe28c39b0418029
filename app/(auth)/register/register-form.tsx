'use client'

import Link from 'next/link'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Field } from '@/components/forms/field'
import { FormAlert } from '@/components/forms/form-alert'
import { requestJson, type FormProblem } from '@/components/forms/problem'

const FIELDS = ['email', 'password', 'name']
const MIN_PASSWORD_LENGTH = 10

const SIGN_IN_AFTER_REGISTER_FAILED: FormProblem = {
  message: 'Your account was created, but we couldn’t sign you in automatically. Sign in to continue.',
  fieldErrors: {},
  code: null,
}

export function RegisterForm() {
  const formRef = useRef<HTMLFormElement>(null)
  const [pending, setPending] = useState(false)
  const [problem, setProblem] = useState<FormProblem | null>(null)

  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus()
  }, [problem])

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (pending) return
    const form = new FormData(event.currentTarget)
    const email = String(form.get('email') ?? '')
    const password = String(form.get('password') ?? '')
    const name = String(form.get('name') ?? '').trim()
    setPending(true)
    setProblem(null)

    const registered = await requestJson('/api/auth/register', {
      method: 'POST',
      body: name ? { email, password, name } : { email, password },
    })
    if (!registered.ok) {
      setProblem(registered.problem)
      setPending(false)
      return
    }
    const signedIn = await requestJson('/api/auth/login', { method: 'POST', body: { email, password, rememberMe: false } })
    if (!signedIn.ok) {
      setProblem(SIGN_IN_AFTER_REGISTER_FAILED)
      setPending(false)
      return
    }
    // A full page load, as after sign-in (see login-form.tsx).
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- deliberate, see above
    window.location.assign('/dashboard')
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
        minLength={MIN_PASSWORD_LENGTH}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        errors={errors.password}
      />
      <Field name="name" label="Name" type="text" autoComplete="name" errors={errors.name} />
      <button className="button block" type="submit" aria-disabled={pending}>
        {pending ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  )
}
