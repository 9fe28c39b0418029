import { requestOrigin } from '@/lib/http/origin'
import { getConfig } from '@/lib/config'
import { ProblemError } from './errors'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** This site's origin: APP_URL when set, else the request's own (any port, every Vercel preview). */
export function siteOrigin(request: Request): string {
  const { appUrl } = getConfig()
  return appUrl ? new URL(appUrl).origin : requestOrigin(request)
}

/**
 * Cookie-mode CSRF check (SPEC §3): a state-changing request whose `Origin` (or, without one,
 * `Sec-Fetch-Site`) is not this site's is refused. Requests with neither header come from
 * non-browser clients, which cannot ride a victim's cookies. OWASP CSRF cheat sheet, "Verifying origin".
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return
  const origin = request.headers.get('origin')
  if (origin !== null) {
    if (origin !== siteOrigin(request)) throw new ProblemError('CSRF_REJECTED', 'This request came from another site.')
    return
  }
  const site = request.headers.get('sec-fetch-site')
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    throw new ProblemError('CSRF_REJECTED', 'This request came from another site.')
  }
}
