import { getConfig } from '@/lib/config'

/**
 * The origin the browser used. `next start` builds request.url with its own idea of the host
 * ("localhost" for 127.0.0.1), so the Host header is what names this site. X-Forwarded-Host and
 * -Proto count only where a proxy we trust sets them (Vercel, or AUTH_TRUST_PROXY=1), as with the
 * client IP (docs/decisions/008); a cross-site page cannot set any of these headers.
 */
export function requestOrigin(request: { url: string; headers: Headers }): string {
  const url = new URL(request.url)
  const { onVercel, policy } = getConfig()
  const trusted = onVercel || policy.trustProxy
  const first = (name: string) => request.headers.get(name)?.split(',')[0]?.trim() || undefined
  const proto = (trusted && first('x-forwarded-proto')) || url.protocol.replace(':', '')
  const host = (trusted && first('x-forwarded-host')) || first('host') || url.host
  try {
    return new URL(`${proto === 'https' ? 'https' : 'http'}://${host}`).origin
  } catch {
    return url.origin
  }
}
