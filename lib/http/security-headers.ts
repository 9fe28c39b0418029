import { randomBytes } from 'node:crypto'

// SPEC §8a security headers for pages, set by the gate (proxy.ts) on every page it answers or
// lets through. Scripts run only with this request's nonce (Next reads it from the request's
// Content-Security-Policy header and puts it on its own scripts; app/layout.tsx on the theme
// script) or when loaded by such a script ('strict-dynamic'); never inline script without it.
// Styles may be inline: React's style attributes need it, and a style cannot run code.
// The headers every answer gets (nosniff, Referrer-Policy, Permissions-Policy) are in next.config.ts.

export const NONCE_HEADER = 'x-nonce'

export function newNonce(): string {
  return randomBytes(16).toString('base64')
}

export function contentSecurityPolicy(nonce: string, { development = false } = {}): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code for its call stacks; production never.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${development ? ' ws: wss:' : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ')
}

/** HSTS, over https only (RFC 6797 §7.2: a browser ignores it over http anyway). Two years, as hstspreload.org asks. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains'
