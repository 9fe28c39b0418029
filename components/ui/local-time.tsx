// A time in the reader's locale and zone, machine-readable underneath. For client-rendered
// data (SWR answers): the server never renders it, so no locale mismatch on hydration.

const FORMAT: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }

export function LocalTime({ iso, withSeconds = false }: { iso: string; withSeconds?: boolean }) {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return <span className="muted">Unknown</span>
  return <time dateTime={date.toISOString()}>{date.toLocaleString(undefined, withSeconds ? { dateStyle: 'medium', timeStyle: 'medium' } : FORMAT)}</time>
}
