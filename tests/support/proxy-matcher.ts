import { tryToParsePath } from 'next/dist/lib/try-to-parse-path'
import { config } from '@/proxy'

// proxy.ts's matcher compiled as Next's build compiles it (its path-to-regexp; left out: the
// optional `/_next/data/…` prefix and `.rsc` suffixes Next adds around it), so tests know which
// paths the gate sees. Not next/dist/build itself: loading it patches the global fetch.
// An object entry runs only when its `has` headers are present.
type Entry = string | { source: string; has?: Array<{ type: string; key: string }> }
const patterns = (config.matcher as Entry[]).map((entry) => {
  const source = typeof entry === 'string' ? entry : entry.source
  const needs = typeof entry === 'string' ? [] : (entry.has ?? []).map((condition) => condition.key)
  return { regexp: new RegExp(tryToParsePath(source).regexStr!), needs }
})

/** Whether Next runs proxy.ts for `pathname`: like its router, tries the raw and the decoded path. */
export function gateRunsOn(pathname: string, headers: Headers = new Headers()): boolean {
  let decoded = pathname
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    // Not decodable: only the raw path can match.
  }
  return patterns.some(({ regexp, needs }) => needs.every((name) => headers.has(name)) && (regexp.test(pathname) || regexp.test(decoded)))
}
