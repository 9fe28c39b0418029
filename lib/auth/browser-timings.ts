// The times the browser plans with (SPEC §9), derived from the server's configuration so the
// client's moves land where the server rotates. The server rotates only within
// AUTH_REFRESH_WINDOW of access expiry (SPEC §4.6); outside it a refresh answers
// `rotated: false` and extends nothing.

export type TtlSettings = { proactiveRefresh: number; warningBefore: number; refreshWindow: number }

export type BrowserTimings = { proactiveRefreshSeconds: number; warningBeforeSeconds: number }

export function browserTimings({ proactiveRefresh, warningBefore, refreshWindow }: TtlSettings): BrowserTimings {
  return {
    // A second inside the window absorbs rounding: token times are whole seconds.
    proactiveRefreshSeconds: Math.min(proactiveRefresh, Math.max(1, refreshWindow - 1)),
    // [Stay signed in] refreshes: a warning opened before the window would offer an extension
    // the server cannot give yet. At the window's edge the server already rotates (≤, §4.6).
    warningBeforeSeconds: Math.min(warningBefore, refreshWindow),
  }
}
