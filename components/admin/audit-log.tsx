'use client'

import { useState, type FormEvent } from 'react'
import { LocalTime } from '@/components/ui/local-time'
import { AUDIT_EVENTS } from '@/lib/shared/audit-events'
import { usePagedApi } from './use-paged-api'
import { auditPath, NO_FILTERS, type AuditFilters } from './audit-query'
import { ScrollTable } from '@/components/ui/scroll-table'

// SPEC §8/§9: the audit log, newest first, filtered by user, event and time, a page at a time.

export type AuditItem = {
  id: string | number
  at: string
  event: string
  userId: string | null
  userEmail: string | null
  sessionId: string | null
  deviceLabel: string | null
  tokenType: string | null
  jti: string | null
  ip: string | null
  userAgent: string | null
  detail: Record<string, unknown> | null
}
type AuditPage = { items: AuditItem[]; nextCursor: string | number | null }

const eventLabel = (event: string) => event.replaceAll('_', ' ')

export function AuditLog() {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS)
  // A click on a person or a session sets a filter from outside the form: a new key remounts the
  // form with the filters as its defaults, so what it shows is what is applied.
  const [formKey, setFormKey] = useState(0)
  const { data, error, isLoading, hasMore, loadingMore, loadMore } = usePagedApi<AuditPage>(auditPath(filters))
  const items = data?.flatMap((page) => page.items) ?? []

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const read = (name: string) => String(form.get(name) ?? '')
    setFilters({ userId: read('userId'), sessionId: read('sessionId'), event: read('event'), from: read('from'), to: read('to') })
  }

  function filterBy(only: Partial<AuditFilters>) {
    setFilters({ ...filters, ...only })
    setFormKey((key) => key + 1)
  }

  return (
    <section className="card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form key={formKey} onSubmit={onSubmit} onReset={() => setFilters(NO_FILTERS)} aria-label="Audit log filters">
        <div className="filters">
          <div className="field">
            <label htmlFor="audit-user">User id</label>
            <input id="audit-user" name="userId" type="text" autoComplete="off" spellCheck={false} defaultValue={filters.userId} />
          </div>
          <div className="field">
            <label htmlFor="audit-session">Session id</label>
            <input id="audit-session" name="sessionId" type="text" autoComplete="off" spellCheck={false} defaultValue={filters.sessionId} />
          </div>
          <div className="field">
            <label htmlFor="audit-event">Event</label>
            <select id="audit-event" name="event" defaultValue={filters.event}>
              <option value="">All events</option>
              {AUDIT_EVENTS.map((name) => (
                <option key={name} value={name}>
                  {eventLabel(name)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-from">From</label>
            <input id="audit-from" name="from" type="datetime-local" defaultValue={filters.from} />
          </div>
          <div className="field">
            <label htmlFor="audit-to">To</label>
            <input id="audit-to" name="to" type="datetime-local" defaultValue={filters.to} />
          </div>
        </div>
        <p className="actions">
          <button type="submit" className="button">
            Apply filters
          </button>
          <button type="reset" className="button secondary">
            Clear filters
          </button>
        </p>
      </form>
      <p role="status" className="muted small">
        {isLoading ? 'Loading events…' : data ? `Showing ${items.length} ${items.length === 1 ? 'event' : 'events'}, newest first${hasMore ? ' (more available)' : ''}.` : null}
      </p>
      {error ? (
        <div className="alert error" role="alert">
          <p>{error.message}</p>
          {Object.values(error.fieldErrors).flat().length > 0 ? (
            <ul>
              {Object.entries(error.fieldErrors).map(([field, messages]) => (
                <li key={field}>
                  {field}: {messages.join(' ')}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {items.length > 0 ? (
        <ScrollTable id="audit" caption="Audit events, newest first">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">User</th>
              <th scope="col">Session</th>
              <th scope="col">IP</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>
                  <LocalTime iso={item.at} withSeconds />
                </td>
                <th scope="row">{eventLabel(item.event)}</th>
                <td className="wrap">
                  {item.userId ? (
                    <button type="button" className="link-button" onClick={() => filterBy({ userId: item.userId! })} aria-label={`Only events of ${item.userEmail ?? item.userId}`}>
                      {item.userEmail ?? <code>{item.userId}</code>}
                    </button>
                  ) : (
                    <span className="muted">None</span>
                  )}
                </td>
                <td className="wrap">
                  {item.sessionId ? (
                    <button type="button" className="link-button" onClick={() => filterBy({ sessionId: item.sessionId! })} aria-label={`Only events of session ${sessionName(item)}`}>
                      {sessionName(item)}
                    </button>
                  ) : (
                    <span className="muted">None</span>
                  )}
                </td>
                <td>{item.ip ?? <span className="muted">Unknown</span>}</td>
                <td className="wrap">
                  <Detail item={item} />
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      ) : data && !isLoading ? (
        <p>No events match these filters.</p>
      ) : null}
      {hasMore ? (
        <button type="button" className="button secondary" onClick={() => void loadMore()} aria-disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more events'}
        </button>
      ) : null}
    </section>
  )
}

/** A device label alone would not tell two sessions on one kind of browser apart: the id's tail does. */
function sessionName(item: AuditItem): string {
  const tail = item.sessionId!.slice(-6)
  return item.deviceLabel ? `${item.deviceLabel} · ${tail}` : item.sessionId!
}

function Detail({ item }: { item: AuditItem }) {
  const detail = { ...(item.tokenType ? { tokenType: item.tokenType } : {}), ...(item.detail ?? {}) }
  const entries = Object.entries(detail)
  if (entries.length === 0) return <span className="muted">None</span>
  return <code>{entries.map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ')}</code>
}
