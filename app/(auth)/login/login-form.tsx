'use client'

import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Field } from '@/components/forms/field'
import { FormAlert } from '@/components/forms/form-alert'
import { requestJson, type FormProblem } from '@/components/forms/problem'

const FIELDS = ['email', 'password', 'rememberMe']

/** `next` is already a checked same-origin path (./next-path.ts). */
export function LoginForm({ next }: { next: string }) {
  const formRef = useRef<HTMLFormElement>(null)
  const [pending, setPending] = useState(false)
  const [problem, setProblem] = useState<FormProblem | null>(null)

  // After a failed attempt, put the keyboard where the fix is: the first invalid field.
  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus()
  }, [problem])

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (pending) return
    const form = new FormData(event.currentTarget)
    setPending(true)
    setProblem(null)
    const result = await requestJson('/api/auth/login', {
      method: 'POST',
      body: {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        rememberMe: form.get('rememberMe') === 'on',
      },
    })
    if (result.ok) {
      // A full page load, not router.push: the auth state changed, so no client router state
      // from before may survive (e.g. a prefetched signed-out redirect for /dashboard).
      window.location.assign(next)
      return
    }
    setProblem(result.problem)
    setPending(false)
  }

  const errors = problem?.fieldErrors ?? {}
  return (
    <form ref={formRef} onSubmit={onSubmit}>
      <FormAlert problem={problem} shownFields={FIELDS} />
      <Field name="email" label="Email" type="email" autoComplete="username" required errors={errors.email} />
      <Field name="password" label="Password" type="password" autoComplete="current-password" required errors={errors.password} />
      <div className="field">
        <div className="checkbox">
          <input id="field-rememberMe" name="rememberMe" type="checkbox" aria-describedby="field-rememberMe-hint" />
          <label htmlFor="field-rememberMe">Remember me</label>
        </div>
        <p id="field-rememberMe-hint" className="hint">
          Stay signed in on this device after you close the browser.
        </p>
      </div>
      {/* aria-disabled, not disabled: a disabled button drops keyboard focus mid-submit. */}
      <button className="button block" type="submit" aria-disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  )
}
