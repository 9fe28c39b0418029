import type { SessionInfo, UserInfo } from '@/lib/shared/api-types'
import type { SessionRow, UserRow } from '@/lib/store/schema'
import { permissionsFor } from './rbac'

// The `user` and `session` of SPEC §7 answers, from their rows.

export type UserView = UserInfo
export type SessionView = SessionInfo

export function userView(user: Pick<UserRow, 'id' | 'email' | 'name' | 'role'>): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role, permissions: permissionsFor(user.role) }
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

export function sessionView(session: Pick<SessionRow, 'id' | 'expiresAt' | 'rememberMe'>, accessExp: number, refreshExp: number): SessionView {
  return {
    id: session.id,
    accessTokenExpiresAt: iso(accessExp),
    refreshTokenExpiresAt: iso(refreshExp),
    expiresAt: session.expiresAt.toISOString(),
    rememberMe: session.rememberMe,
  }
}
