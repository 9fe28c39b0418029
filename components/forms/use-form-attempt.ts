import { useEffect, useRef, useState } from 'react'
import type { FormProblem } from './problem'

/** The field for the keyboard when a problem marks none invalid. Keep it module-level: an effect depends on it. */
export type FocusFallback = (problem: FormProblem) => string | null

/**
 * A form's submit state: `pending` (forms send nothing while it is set) and the last problem.
 * After a failure the keyboard goes where the fix is: the first invalid field, else the field
 * `focusFallback` names, its text selected.
 */
export function useFormAttempt(focusFallback?: FocusFallback) {
  const formRef = useRef<HTMLFormElement>(null)
  const [pending, setPending] = useState(false)
  const [problem, setProblem] = useState<FormProblem | null>(null)

  useEffect(() => {
    const form = formRef.current
    if (!problem || !form) return
    const invalid = form.querySelector<HTMLInputElement>('[aria-invalid="true"]')
    if (invalid) return invalid.focus()
    const name = focusFallback?.(problem)
    const field = name ? form.elements.namedItem(name) : null
    if (field instanceof HTMLInputElement) {
      field.focus()
      field.select()
    }
  }, [problem, focusFallback])

  return {
    formRef,
    pending,
    problem,
    begin() {
      setPending(true)
      setProblem(null)
    },
    fail(next: FormProblem) {
      setProblem(next)
      setPending(false)
    },
    finish() {
      setPending(false)
    },
  }
}
