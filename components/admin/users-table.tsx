'use client'

import { useState } from 'react'
import { ConfirmDialog } from '@/components/ui/dialog'
import { LocalTime } from '@/components/ui/local-time'
import { useToast } from '@/components/ui/toast'
import { useSessionClient } from '@/components/session/session-client-provider'
import { usePagedApi } from './use-paged-api'
import { ScrollTable } from '@/components/ui/scroll-table'

// SPEC §9 /admin: users and roles. A role change takes effect on the user's next request
// (SPEC §7); "Sign out everywhere" ends all of the user's sessions at once.

export type AdminUser = { id: string; email: string; name: string | null; role: string; permissions: string[]; createdAt: string }
type UsersPage = { users: AdminUser[]; nextCursor: string | null }

export const ROLE_OPTIONS = ['user', 'admin'] as const
const PAGE_SIZE = 20

export function UsersTable({ currentUserId, canWrite }: { currentUserId: string; canWrite: boolean }) {
  const { data, error, isLoading, mutate, hasMore, loadingMore, loadMore } = usePagedApi<UsersPage>(`/api/admin/users?limit=${PAGE_SIZE}`)
  const toast = useToast()
  const { api } = useSessionClient()
  const [busyId, setBusyId] = useState<string | null>(null)
  const [confirming, setConfirming] = useState<AdminUser | null>(null)
  const users = data?.flatMap((page) => page.users) ?? []

  async function changeRole(user: AdminUser, role: string) {
    if (role === user.role || busyId) return
    setBusyId(user.id)
    const result = await api.request(`/api/admin/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body: { role } })
    if (result.ok) toast({ title: 'Role changed', description: `${user.email} is now ${role === 'admin' ? 'an admin' : 'a user'}.`, tone: 'success' })
    else toast({ title: 'Couldn’t change the role', description: result.error.message, tone: 'error' })
    await mutate()
    setBusyId(null)
  }

  async function signOutEverywhere() {
    const user = confirming
    if (!user || busyId) return
    setBusyId(user.id)
    const result = await api.request<{ revoked: number | unknown[] }>(`/api/admin/users/${encodeURIComponent(user.id)}/revoke-sessions`, { method: 'POST' })
    if (result.ok) toast({ title: 'Signed out everywhere', description: `${user.email} must sign in again on every device.`, tone: 'success' })
    else toast({ title: 'Couldn’t sign the user out', description: result.error.message, tone: 'error' })
    setConfirming(null)
    setBusyId(null)
  }

  return (
    <section className="card" aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <p role="status" className="muted small">
        {isLoading ? 'Loading users…' : data ? `Showing ${users.length} ${users.length === 1 ? 'user' : 'users'}${hasMore ? ' (more available)' : ''}.` : null}
      </p>
      {error ? (
        <p className="alert error" role="alert">
          {error.message}
        </p>
      ) : null}
      {users.length > 0 ? (
        <ScrollTable id="users" caption="Users and roles">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => {
              const self = user.id === currentUserId
              return (
                <tr key={user.id}>
                  <th scope="row" className="wrap">
                    {user.email}
                    {self ? <span className="muted"> (you)</span> : null}
                  </th>
                  <td className="wrap">{user.name ?? <span className="muted">Not set</span>}</td>
                  <td>
                    <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                      Role of {user.email}
                    </label>
                    <select
                      id={`role-${user.id}`}
                      value={user.role}
                      // Demoting yourself would lock you out of this page mid-task.
                      disabled={!canWrite || self || busyId === user.id}
                      onChange={(event) => void changeRole(user, event.target.value)}
                    >
                      {ROLE_OPTIONS.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <LocalTime iso={user.createdAt} />
                  </td>
                  <td>
                    {canWrite ? (
                      <button
                        type="button"
                        className="button danger small"
                        onClick={() => setConfirming(user)}
                        aria-disabled={busyId === user.id}
                        aria-label={`Sign out everywhere: ${user.email}`}
                      >
                        Sign out everywhere
                      </button>
                    ) : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </ScrollTable>
      ) : null}
      {hasMore ? (
        <button type="button" className="button secondary" onClick={() => void loadMore()} aria-disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more users'}
        </button>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={`Sign ${confirming.email} out everywhere?`}
          description={<p>Every session of this account ends at once, on every device. They can sign in again with their password.</p>}
          confirmLabel="Sign out everywhere"
          pendingLabel="Signing out…"
          pending={busyId !== null}
          onConfirm={signOutEverywhere}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
    </section>
  )
}
