import type { WebhookDelivery } from '@/lib/webhooks/outbox'
import { ScrollTable } from '@/components/ui/scroll-table'

// The admin screen's view of the security-event webhook (SPEC §8a): the newest deliveries with
// their last attempt. Server-rendered from the outbox; reload to see new attempts.

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'medium' }) + ' UTC' : '—')

export function WebhookDeliveries({ configured, items }: { configured: boolean; items: WebhookDelivery[] }) {
  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Security-event webhook</h2>
      {!configured ? (
        <p className="muted">No webhook is configured. Set WEBHOOK_URL and WEBHOOK_SECRET to send security events to your own tools.</p>
      ) : items.length === 0 ? (
        <p className="muted">No security events sent yet.</p>
      ) : (
        <ScrollTable id="webhooks" caption="Newest deliveries, with their last attempt">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last attempt</th>
              <th scope="col">Answer</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>
                  <code>{item.type}</code>
                </td>
                <td>{item.state === 'pending' ? `pending, next ${when(item.nextAttemptAt)}` : item.state}</td>
                <td>{item.attempts}</td>
                <td>{when(item.lastAttemptAt)}</td>
                <td>{item.lastError ?? (item.lastStatus ? `HTTP ${item.lastStatus}` : '—')}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </section>
  )
}
