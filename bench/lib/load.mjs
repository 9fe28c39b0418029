import autocannon from 'autocannon'

// Two ways to load a server. autocannon for the gate (independent requests, many connections);
// a closed loop of N workers for what depends on the previous answer (each session rotates its
// own refresh token; sign-ins). Latencies in milliseconds.

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function percentile(values, p) {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** autocannon against one URL: requests/s, p50/p99 and how many answers had another status than `expect`. */
export async function hammer({ url, headers, connections, seconds, expect }) {
  const result = await autocannon({ url, headers, connections, duration: seconds, pipelining: 1, timeout: 10 })
  const counts = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]))
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  const unexpected = total - (counts[String(expect)] ?? 0) + result.errors + result.timeouts
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total, unexpected, counts }
}

/**
 * `concurrency` workers, each calling `step(worker)` back to back for `seconds`. `step` resolves to
 * true for a success. Throughput counts successes only.
 */
export async function closedLoop({ concurrency, seconds, step }) {
  const latencies = []
  let failures = 0
  const started = performance.now()
  const deadline = started + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t0 = performance.now()
        const ok = await step(worker).catch(() => false)
        if (ok) latencies.push(performance.now() - t0)
        else failures += 1
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  return { perSecond: latencies.length / elapsed, count: latencies.length, failures, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
}

/** Variant order for round `r`: ABCDE, BCDEA, CDEAB… so no variant always goes first or last. */
export const rotated = (items, r) => items.map((_, i) => items[(i + r) % items.length])
