/**
 * The origin the browser used. `next start` builds request.url with its own idea of the host
 * ("localhost" for 127.0.0.1), so the Host / X-Forwarded-Host headers are what matter here. These
 * headers cannot be set by a cross-site page, so using them for the CSRF comparison is safe.
 */
export function requestOrigin(request: { url: string; headers: Headers }): string {
  const url = new URL(request.url)
  const first = (name: string) => request.headers.get(name)?.split(',')[0]?.trim() || undefined
  const proto = first('x-forwarded-proto') ?? url.protocol.replace(':', '')
  const host = first('x-forwarded-host') ?? first('host') ?? url.host
  try {
    return new URL(`${proto === 'https' ? 'https' : 'http'}://${host}`).origin
  } catch {
    return url.origin
  }
}
