// Who is asking (SPEC §5), as the edge reads it from a request (lib/http/client-info.ts) and the
// use cases in lib/auth record it. Type-only.

export type ClientInfo = {
  ip: string | null
  /** What per-address limits count by: the IPv4 address, or the IPv6 /64 (lib/http/client-info.ts). */
  network: string
  userAgent: string | null
  /** sha256 of user agent, accept-language and platform hints. */
  fingerprint: string
  /** "Chrome on macOS". */
  deviceLabel: string
}
