/** The roles (SPEC §7); their permissions are in lib/auth/rbac.ts. */
export const ROLES = ['admin', 'user'] as const
export type Role = (typeof ROLES)[number]
