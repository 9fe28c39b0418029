import { sameOriginPath } from '@/lib/shared/same-origin-path'

export type LeavePage = (url: string) => void

type PageWindow = Pick<Window, 'location' | 'addEventListener'>

/**
 * A full page load rather than router.push: after the auth state changes no client router
 * state from before may survive (e.g. a cached signed-in page behind Back, claims included).
 * The first call wins: a second navigation started while the first is loading cancels it, and
 * Chromium can then show the new document under the old URL (sign-out button + provider).
 * Only paths of this site: callers pass checked or constant targets, and the sink checks again
 * so a future caller cannot turn it into an open redirect (CWE-601); anything else goes home.
 */
export function createPageLeaver(page: PageWindow = window): LeavePage {
  let leaving = false
  page.addEventListener('pageshow', (event) => {
    // Back from the bfcache: this page is alive again and may leave again.
    if ((event as PageTransitionEvent).persisted) leaving = false
  })
  return (url) => {
    if (leaving) return
    leaving = true
    page.location.assign(sameOriginPath(url) ?? '/')
  }
}
