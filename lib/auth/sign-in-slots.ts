// At most SIGN_IN_SLOTS_PER_ADDRESS sign-ins from one address (IPv4, or IPv6 /64) have their
// password checked at once in this process. Together with the process-wide bound on hashing
// (lib/auth/passwords.ts) one address cannot fill the hashing queue and turn everyone else's
// sign-in into a 503. 16 leaves room for an office behind one address signing in all at once.

export const SIGN_IN_SLOTS_PER_ADDRESS = 16

const inFlight = new Map<string, number>()

/** A slot for one sign-in from `network`, or null when that address has all of its slots in use. */
export function takeSignInSlot(network: string): { release(): void } | null {
  const taken = inFlight.get(network) ?? 0
  if (taken >= SIGN_IN_SLOTS_PER_ADDRESS) return null
  inFlight.set(network, taken + 1)
  let released = false
  return {
    release() {
      if (released) return
      released = true
      const left = (inFlight.get(network) ?? 1) - 1
      if (left > 0) inFlight.set(network, left)
      else inFlight.delete(network)
    },
  }
}
