import 'server-only'
import { cache } from 'react'
import type { AccessClaims } from '@/lib/shared/api-types'
import { authenticateAccessToken } from './access'
import { findUserById } from './users'
import { userView, type UserView } from './views'

// The data-access layer's view of "who is this" for Server Components (Next.js data-security
// guide): they never trust the gate alone (CVE-2025-29927), they verify again. The page hands in
// the access cookie it read (lib/http/auth-edge.ts `pageAccessToken`).

/** The signed-in user and claims, or null. Once per request and token (React cache). */
export const getCurrentUser = cache(async (accessToken: string | undefined): Promise<{ user: UserView; claims: AccessClaims } | null> => {
  const result = await authenticateAccessToken(accessToken, Date.now())
  if (!result.ok) return null
  const user = await findUserById(result.claims.sub)
  return user ? { user: userView(user), claims: result.claims } : null
})
