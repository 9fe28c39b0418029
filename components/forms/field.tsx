// A labelled input whose hint and errors are announced with it (aria-describedby).
// No hooks, so client forms and server pages can both use it.

type FieldProps = {
  name: string
  label: string
  type: 'email' | 'password' | 'text'
  autoComplete: string
  required?: boolean
  minLength?: number
  maxLength?: number
  hint?: string
  errors?: string[]
}

export function Field({ name, label, type, autoComplete, required, minLength, maxLength, hint, errors = [] }: FieldProps) {
  const id = `field-${name}`
  const hintId = hint ? `${id}-hint` : undefined
  const errorId = errors.length > 0 ? `${id}-error` : undefined
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? null : <span className="muted"> (optional)</span>}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        required={required}
        minLength={minLength}
        maxLength={maxLength}
        aria-invalid={errors.length > 0 ? true : undefined}
        aria-describedby={describedBy}
        spellCheck={type === 'text' ? undefined : false}
        autoCapitalize={type === 'email' ? 'none' : undefined}
      />
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {errorId ? (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  )
}
