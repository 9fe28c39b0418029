import { CLIENT_HEADERS, DEMO } from './auth.mjs'
import { closedLoop } from './load.mjs'
import { processMemory, resetPeak, sleep } from './servers.mjs'

// Sign-ins (argon2id, SPEC §7; decision 019) at 1, 8 and 32 concurrent, each with the correct
// password: sign-ins/s, refusals (anything but 200 is a correct password refused) and the peak
// RSS of the server during that level (VmHWM, reset before each level) over its RSS before it.
// Each worker is a person at an address of their own (X-Forwarded-For, the server started with
// AUTH_TRUST_PROXY=1, as behind a reverse proxy; decision 025): from one address the product
// allows 16 password checks at once (lib/auth/sign-in-slots.ts), which would measure that limit.

export const SIGN_IN_ENV = { AUTH_TRUST_PROXY: '1' }

async function signInOnce(url, worker, statuses) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { ...CLIENT_HEADERS, 'content-type': 'application/json', 'x-forwarded-for': `10.77.${worker >> 8}.${(worker & 255) + 1}` },
    body: JSON.stringify({ email: DEMO.email, password: DEMO.password, transport: 'bearer' }),
  })
  await response.arrayBuffer()
  statuses[response.status] = (statuses[response.status] ?? 0) + 1
  return response.status === 200
}

export async function benchSignIn({ server, levels, seconds, log }) {
  const results = []
  await closedLoop({ concurrency: 2, seconds: 1, step: (worker) => signInOnce(server.url, worker, {}) })
  for (const concurrency of levels) {
    await server.memoryUsage()
    await sleep(200)
    const before = processMemory(server.pid)
    const peakReset = resetPeak(server.pid)
    const statuses = {}
    const run = await closedLoop({ concurrency, seconds, step: (worker) => signInOnce(server.url, worker, statuses) })
    const after = processMemory(server.pid)
    const row = { concurrency, perSecond: run.perSecond, p50: run.p50, p99: run.p99, refused: run.failures, statuses, rssBeforeMiB: before.rssMiB, peakMiB: after.peakMiB, peakGrowthMiB: after.peakMiB - before.rssMiB, peakReset }
    log(`sign-in: ×${concurrency}: ${row.perSecond.toFixed(1)}/s p99 ${row.p99.toFixed(0)} ms, ${row.refused} refused ${JSON.stringify(statuses)}, peak RSS ${row.peakMiB.toFixed(0)} MiB (+${row.peakGrowthMiB.toFixed(0)})`)
    results.push(row)
  }
  return results
}
