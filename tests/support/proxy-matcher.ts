import { tryToParsePath } from 'next/dist/lib/try-to-parse-path'
import { config } from '@/proxy'

// proxy.ts's matcher compiled as Next's build compiles it (its path-to-regexp; left out: the
// optional `/_next/data/…` prefix and `.rsc` suffixes Next adds around it), so tests know which
// paths the gate sees. Not next/dist/build itself: loading it patches the global fetch.
const patterns = config.matcher.map((source) => new RegExp(tryToParsePath(source).regexStr!))

/** Whether Next runs proxy.ts for `pathname`: like its router, tries the raw and the decoded path. */
export function gateRunsOn(pathname: string): boolean {
  let decoded = pathname
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    // Not decodable: only the raw path can match.
  }
  return patterns.some((pattern) => pattern.test(pathname) || pattern.test(decoded))
}
