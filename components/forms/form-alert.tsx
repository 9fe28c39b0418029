import type { FormProblem } from './problem'

/**
 * The form-level error, announced at once (role="alert"). Errors for fields the form
 * does not show are listed here so nothing the server said is lost.
 */
export function FormAlert({ problem, shownFields, children }: { problem: FormProblem | null; shownFields: string[]; children?: React.ReactNode }) {
  if (!problem) return null
  const other = Object.entries(problem.fieldErrors)
    .filter(([field]) => !shownFields.includes(field))
    .flatMap(([, messages]) => messages)
  return (
    <div className="alert error" role="alert">
      <p>{problem.message}</p>
      {other.length > 0 ? (
        <ul>
          {other.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
      {children}
    </div>
  )
}
