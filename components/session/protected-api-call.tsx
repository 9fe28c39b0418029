'use client'

import { useState } from 'react'
import { readProblem, NETWORK_PROBLEM } from '@/components/forms/problem'

type CallState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'done'; status: number; statusText: string; ok: boolean; text: string }

/** Calls GET /api/me with the session cookie and shows what came back. */
export function ProtectedApiCall() {
  const [state, setState] = useState<CallState>({ kind: 'idle' })

  async function call() {
    if (state.kind === 'loading') return
    setState({ kind: 'loading' })
    let response: Response
    try {
      response = await fetch('/api/me', { headers: { Accept: 'application/json' }, cache: 'no-store' })
    } catch {
      setState({ kind: 'done', status: 0, statusText: '', ok: false, text: NETWORK_PROBLEM.message })
      return
    }
    const text = response.ok
      ? JSON.stringify(await response.json().catch(() => null), null, 2)
      : (await readProblem(response)).message
    setState({ kind: 'done', status: response.status, statusText: response.statusText, ok: response.ok, text })
  }

  return (
    <div className="stack">
      <div className="actions">
        <button type="button" className="button" onClick={call} aria-disabled={state.kind === 'loading'}>
          Call protected API
        </button>
        <span className="muted small">
          <code>GET /api/me</code>
        </span>
      </div>
      {/* Only the one-line outcome is announced; the JSON below is there to read. */}
      <p role="status" className={state.kind === 'done' ? (state.ok ? 'status-ok' : 'status-error') : 'muted'}>
        {state.kind === 'loading' ? 'Calling…' : null}
        {state.kind === 'done' ? (state.status === 0 ? 'No response' : `${state.status} ${state.statusText}`.trim()) : null}
      </p>
      {state.kind === 'done' ? (
        state.ok ? (
          <pre>
            <code>{state.text}</code>
          </pre>
        ) : (
          <p>{state.text}</p>
        )
      ) : null}
    </div>
  )
}
