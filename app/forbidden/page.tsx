import { forbidden } from 'next/navigation'
import { connection } from 'next/server'

// The gate rewrites pages a role may not see to here; forbidden() renders app/forbidden.tsx
// with HTTP status 403 (Next's authInterrupts), which a rewrite alone cannot set.
// Rendered per request, never prerendered: a prerendered page leaves with `s-maxage=31536000`,
// and the rewrite that lands here may carry the Set-Cookie of a refresh (SPEC §3).
export default async function ForbiddenRoute(): Promise<never> {
  await connection()
  forbidden()
}
