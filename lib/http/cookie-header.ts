/** A read-only view of a `Cookie` request header (route handlers get a plain Request). */
export function parseCookieHeader(header: string | null): { get(name: string): { value: string } | undefined } {
  const values = new Map<string, string>()
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    // The first occurrence wins, as browsers send the most specific cookie first.
    if (!values.has(name)) values.set(name, part.slice(eq + 1).trim())
  }
  return { get: (name) => (values.has(name) ? { value: values.get(name)! } : undefined) }
}
