import { requestOrigin } from '@/lib/http/origin'
import { getConfig } from '@/lib/config'
import { isJsonContentType } from './body'
import { ProblemError } from './errors'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** This site's origin: APP_URL when set, else the request's own (any port, every Vercel preview). */
export function siteOrigin(request: Request): string {
  const { appUrl } = getConfig()
  return appUrl ? new URL(appUrl).origin : requestOrigin(request)
}

/**
 * Did a page of another site make the browser send this? Its `Origin` (or, without one,
 * `Sec-Fetch-Site`) says so. Requests with neither header come from non-browser clients, which
 * cannot ride a victim's cookies. OWASP CSRF cheat sheet, "Verifying origin".
 */
function isCrossSite(request: Request): boolean {
  const origin = request.headers.get('origin')
  if (origin !== null) return origin !== siteOrigin(request)
  const site = request.headers.get('sec-fetch-site')
  return site !== null && site !== 'same-origin' && site !== 'none'
}

/** Cookie-mode CSRF check (SPEC §3): a cross-site state-changing request is refused. */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return
  if (isCrossSite(request)) throw new ProblemError('CSRF_REJECTED', 'This request came from another site.')
}

/**
 * For the routes whose body says which transport it is (login, refresh, logout): SPEC §4 checks
 * CSRF first, before the body is read. A cross-site request that is not JSON is one a page can send
 * without a CORS preflight (a form post, `text/plain`), so it is a forgery whatever its body says;
 * refuse it before reading anything. Cross-site JSON needs a preflight, so it can only be a bearer
 * client that CORS let through, and the transport decides once the body is read.
 */
export function refuseCrossSiteForms(request: Request): void {
  if (SAFE_METHODS.has(request.method) || isJsonContentType(request.headers)) return
  assertSameOrigin(request)
}
