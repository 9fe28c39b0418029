import type { Metadata } from 'next'
import Link from 'next/link'
import { forbidden, redirect } from 'next/navigation'
import { AuditLog } from '@/components/admin/audit-log'
import { UsersTable } from '@/components/admin/users-table'
import { WebhookDeliveries } from '@/components/admin/webhook-deliveries'
import { listWebhookDeliveries } from '@/lib/webhooks/outbox'
import { getCurrentUser } from '@/lib/auth/current-user'
import { pageAccessToken } from '@/lib/http/auth-edge'
import { hasPermission } from '@/lib/auth/rbac'

export const metadata: Metadata = { title: 'Admin' }

export default async function AdminPage() {
  // The gate already sends non-admins to the 403 page; this is the authoritative check
  // (CVE-2025-29927: never rely on the gate alone).
  const current = await getCurrentUser(await pageAccessToken())
  if (!current) redirect(`/login?next=${encodeURIComponent('/admin')}`)
  const { user } = current
  if (!hasPermission(user, 'users:read')) forbidden()
  return (
    <div className="stack">
      <div>
        <h1>Admin</h1>
        <p className="muted">Role changes take effect on the person’s next request. Every action here is written to the audit log.</p>
        {hasPermission(user, 'audit:read') ? (
          <p>
            <Link href="/admin/activity">Token activity: charts of sign-ins, refreshes and failures</Link>
          </p>
        ) : null}
      </div>
      <UsersTable currentUserId={user.id} canWrite={hasPermission(user, 'users:write')} />
      {hasPermission(user, 'audit:read') ? <AuditLog /> : null}
      {hasPermission(user, 'audit:read') ? <WebhookDeliveries {...await listWebhookDeliveries(20)} /> : null}
    </div>
  )
}
