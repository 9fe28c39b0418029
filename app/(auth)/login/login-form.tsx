'use client'

import type { FormEvent } from 'react'
import { Field } from '@/components/forms/field'
import { FormAlert } from '@/components/forms/form-alert'
import { formProblemFrom, type FormProblem } from '@/components/forms/problem'
import { useFormAttempt } from '@/components/forms/use-form-attempt'
import { useSessionClient } from '@/components/session/session-client-provider'
import type { SessionResponse } from '@/lib/shared/api-types'

const FIELDS = ['email', 'password', 'rememberMe']

// A wrong email or password marks no field: back to the password, selected, to type it again.
const retypePassword = (problem: FormProblem) => (problem.code === 'INVALID_CREDENTIALS' ? 'password' : null)

/** `next` is already a checked same-origin path (./next-path.ts). */
export function LoginForm({ next }: { next: string }) {
  const client = useSessionClient()
  const { formRef, pending, problem, begin, fail } = useFormAttempt(retypePassword)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (pending) return
    const form = new FormData(event.currentTarget)
    begin()
    // requestApi signs the tab out only on a 401 that ends a session; INVALID_CREDENTIALS is not one.
    const result = await client.api.request<SessionResponse>('/api/auth/login', {
      method: 'POST',
      body: {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        rememberMe: form.get('rememberMe') === 'on',
      },
    })
    if (!result.ok) return fail(formProblemFrom(result.error))
    // Other tabs (and their countdowns) learn of the session now, not at their next request.
    if (result.data?.session) client.events.announceSignedIn(result.data.session)
    // A full page load, not router.push: no client router state from before may survive
    // (e.g. a prefetched signed-out redirect for /dashboard).
    client.leavePage(next)
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
