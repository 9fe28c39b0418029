/**
 * A full page load rather than router.push: after the auth state changes no client router
 * state from before may survive (e.g. a cached signed-in page behind Back, claims included).
 */
export function leavePage(url: string) {
  window.location.assign(url)
}
