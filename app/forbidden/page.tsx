import { forbidden } from 'next/navigation'

// The gate rewrites pages a role may not see to here; forbidden() renders app/forbidden.tsx
// with HTTP status 403 (Next's authInterrupts), which a rewrite alone cannot set.
export default function ForbiddenRoute(): never {
  forbidden()
}
