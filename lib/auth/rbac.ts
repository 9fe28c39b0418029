import { ROLES, type Role } from '@/lib/shared/roles'

// Roles and their permissions (SPEC §7). Permissions travel in the access token; a change
// makes live tokens ACCESS_TOKEN_STALE (lib/auth/denylist.ts) so the next refresh carries the new set.

export const PERMISSIONS = ['profile:read', 'profile:write', 'users:read', 'users:write', 'audit:read', 'sessions:read', 'sessions:write'] as const
export type Permission = (typeof PERMISSIONS)[number]

export { ROLES, type Role }

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  user: ['profile:read', 'profile:write'],
}

export function permissionsFor(role: string): Permission[] {
  return [...(ROLE_PERMISSIONS[role as Role] ?? [])]
}

export function hasPermission(claims: { permissions: readonly string[] }, permission: Permission): boolean {
  return claims.permissions.includes(permission)
}

/** Route-level rules the gate enforces optimistically; handlers check again (the authority). */
export const ROUTE_PERMISSIONS: ReadonlyArray<{ prefix: string; permission: Permission }> = [
  { prefix: '/api/admin/audit', permission: 'audit:read' },
  { prefix: '/api/admin', permission: 'users:read' },
  { prefix: '/admin', permission: 'users:read' },
]

export function requiredPermission(pathname: string): Permission | null {
  const rule = ROUTE_PERMISSIONS.find(({ prefix }) => pathname === prefix || pathname.startsWith(prefix + '/'))
  return rule?.permission ?? null
}
