// The audit log's filters (SPEC §8) as the API's query string. Browser-safe, no React.

export type AuditFilters = { userId: string; sessionId: string; event: string; from: string; to: string }

export const NO_FILTERS: AuditFilters = { userId: '', sessionId: '', event: '', from: '', to: '' }

/** A `datetime-local` value (the reader's own zone, no offset) as an ISO-8601 UTC instant; '' stays ''. */
export function localInputToIso(value: string): string {
  if (!value) return ''
  const date = new Date(value) // date-time forms without an offset are local time (ECMA-262)
  return Number.isNaN(date.getTime()) ? '' : date.toISOString()
}

export function auditPath(filters: AuditFilters, limit = 50): string {
  const params = new URLSearchParams()
  if (filters.userId.trim()) params.set('userId', filters.userId.trim())
  if (filters.sessionId.trim()) params.set('sessionId', filters.sessionId.trim())
  if (filters.event) params.set('event', filters.event)
  const from = localInputToIso(filters.from)
  const to = localInputToIso(filters.to)
  if (from) params.set('from', from)
  if (to) params.set('to', to)
  params.set('limit', String(limit))
  return `/api/admin/audit?${params}`
}
