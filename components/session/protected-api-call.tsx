'use client'

import { useState } from 'react'
import { useSessionClient } from './session-client-provider'
import type { MeResponse } from '@/lib/shared/api-types'

type CallState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'done'; ok: true; status: string; replayed: boolean; json: string }
  | { kind: 'done'; ok: false; status: string; message: string }

/**
 * Calls GET /api/me through the API client. An expired access token is refreshed and the call
 * replayed without the person noticing; the line below the answer says when that happened.
 */
export function ProtectedApiCall() {
  const { api } = useSessionClient()
  const [state, setState] = useState<CallState>({ kind: 'idle' })

  async function call() {
    if (state.kind === 'loading') return
    setState({ kind: 'loading' })
    const result = await api.request<MeResponse>('/api/me')
    if (result.ok) {
      const status = `${result.status} ${result.statusText || 'OK'}`.trim()
      setState({ kind: 'done', ok: true, status, replayed: result.replayed, json: JSON.stringify(result.data, null, 2) })
    } else {
      setState({ kind: 'done', ok: false, status: result.error.status === 0 ? 'No response' : String(result.error.status), message: result.error.message })
    }
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
        {state.kind === 'done' ? state.status : null}
      </p>
      {state.kind === 'done' && state.ok && state.replayed ? (
        <p className="muted small">The access token had expired: it was refreshed and the call replayed, silently.</p>
      ) : null}
      {state.kind === 'done' ? (
        state.ok ? (
          <pre>
            <code>{state.json}</code>
          </pre>
        ) : (
          <p>{state.message}</p>
        )
      ) : null}
    </div>
  )
}
