import { LRUCache } from 'lru-cache'
import { sha256 } from '@/lib/ids'
import type { KeySet } from './keys'
import { verifyToken, type AccessClaims, type VerifyOptions, type VerifyResult } from './tokens'

// Each distinct access token is verified once per process (issue 11): its signature and claims
// cannot change, so a later request with the same token reuses the claims. The denylist is still
// read on every request (revocation stays instant), and a cached token is expired by the request's
// own clock exactly as a fresh verification would be (SPEC §2 AUTH_EXPIRY_GRACE). Bounded in size;
// keyed by a hash, so the cache holds no token. One cache per key set: keys change, cache goes.

const MAX_TOKENS = 10_000
const caches = new WeakMap<object, LRUCache<string, AccessClaims>>()

function cacheFor(keys: object): LRUCache<string, AccessClaims> {
  let cache = caches.get(keys)
  if (!cache) caches.set(keys, (cache = new LRUCache({ max: MAX_TOKENS })))
  return cache
}

export async function verifyAccessToken(token: string, keys: Pick<KeySet, 'verifying'>, options: VerifyOptions): Promise<VerifyResult<'access'>> {
  const cache = cacheFor(keys)
  const id = `${options.issuer}\u0000${options.audience}\u0000${sha256(token)}`
  const claims = cache.get(id)
  if (claims) {
    if (claims.exp > Math.floor(options.now / 1000) - options.graceSeconds) return { ok: true, claims }
    cache.delete(id)
    return { ok: false, reason: 'expired' }
  }
  const verified = await verifyToken('access', token, keys, options)
  if (verified.ok) {
    // Forgotten at the latest when it can no longer pass (exp + grace), by the real clock.
    const lifeMs = (verified.claims.exp + options.graceSeconds) * 1000 - options.now
    if (lifeMs > 0) cache.set(id, verified.claims, { ttl: Math.min(lifeMs, 3_600_000) })
  }
  return verified
}
