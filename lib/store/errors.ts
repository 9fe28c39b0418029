/** The KV (denylist, rate limits) cannot be reached or timed out; the edges answer 503 (fail closed). */
export class KvUnavailableError extends Error {
  override name = 'KvUnavailableError'

  /** By name, not instanceof: Next may bundle this module into more than one chunk. */
  static is(error: unknown): error is KvUnavailableError {
    return error instanceof Error && error.name === 'KvUnavailableError'
  }
}
