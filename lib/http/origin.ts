import { getConfig } from '@/lib/config'
import { PEER_PROTO_HEADER } from './client-info'

/**
 * The origin the browser used: the one rule for route handlers, the gate and server components
 * (which have headers but no URL). `next start` builds request.url with its own idea of the host
 * ("localhost" for 127.0.0.1), so the Host header is what names this site. X-Forwarded-Host and
 * -Proto count only where a proxy we trust sets them (Vercel, or AUTH_TRUST_PROXY=1), as with the
 * client IP (docs/decisions/008); otherwise the scheme is the socket's own (lib/http/peer-address.ts)
 * and a client's X-Forwarded-Proto changes nothing. A cross-site page cannot set any of these headers.
 */
export function requestOrigin(request: { url?: string; headers: Headers }): string {
  const { onVercel, policy } = getConfig()
  const trusted = onVercel || policy.trustProxy
  const first = (name: string) => request.headers.get(name)?.split(',')[0]?.trim() || undefined
  // request.url is parsed only when the headers do not say (the gate runs this on every request).
  let url: URL | undefined
  const fromUrl = () => (url ??= request.url ? new URL(request.url) : undefined)
  const proto = (trusted && first('x-forwarded-proto')) || first(PEER_PROTO_HEADER) || fromUrl()?.protocol.replace(':', '') || 'http'
  const host = (trusted && first('x-forwarded-host')) || first('host') || fromUrl()?.host
  const raw = `${proto === 'https' ? 'https' : 'http'}://${host}`
  if (raw === last.raw) return last.origin
  try {
    const origin = new URL(raw).origin
    last = { raw, origin }
    return origin
  } catch {
    return fromUrl()?.origin ?? 'http://invalid'
  }
}

// The last origin worked out: a site is reached under one or two names, so this is nearly always it.
let last = { raw: '', origin: '' }
