/** The KV (denylist, rate limits) cannot be reached or timed out; the edges answer 503 (fail closed). */
export class KvUnavailableError extends Error {
  override name = 'KvUnavailableError'

  /** By name, not instanceof: Next may bundle this module into more than one chunk. */
  static is(error: unknown): error is KvUnavailableError {
    return error instanceof Error && error.name === 'KvUnavailableError'
  }
}

// Postgres SQLSTATEs that mean "the database cannot serve this now", not "this request is wrong":
// connection exceptions (08), admin/crash shutdown and "cannot connect now" (57P01-57P03), too
// many connections (53300), and a statement cancelled by statement_timeout (57014).
const PG_UNAVAILABLE = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300', '57014'])
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])
// node-postgres words its own timeouts and lost connections without a code.
const PG_MESSAGES = /timeout exceeded when trying to connect|Query read timeout|Connection terminated|connection timeout|Client has encountered a connection error/i

/**
 * A storage service is down, hung or refusing: the KV (KvUnavailableError) or Postgres (its
 * connection and timeout errors, also when drizzle wraps them as the `cause`). The edges answer
 * 503 SERVICE_UNAVAILABLE for these, fast, never a 500 (SPEC §6, issue 10).
 */
export function isStoreUnavailable(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current.name === 'KvUnavailableError') return true
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && (PG_UNAVAILABLE.has(code) || SOCKET_ERRORS.has(code))) return true
    if (PG_MESSAGES.test(current.message)) return true
    current = current.cause
  }
  return false
}
