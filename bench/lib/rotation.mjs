import { CLIENT_HEADERS, signIn } from './auth.mjs'
import { closedLoop, median } from './load.mjs'

// Refresh rotation (SPEC §4.8: one transaction, session row locked) at 1, 8 and 32 concurrent
// sessions, each rotating its own token back to back, against a trivial route (GET /api/nope,
// signed in) of the same server at the same concurrency with the same client, in alternating rounds.

async function signInMany(url, count) {
  const sessions = []
  while (sessions.length < count) sessions.push(...(await Promise.all(Array.from({ length: Math.min(8, count - sessions.length) }, () => signIn(url)))))
  return sessions
}

function trivialStep(url, sessions) {
  return async (worker) => {
    const response = await fetch(`${url}/api/nope`, { headers: { ...CLIENT_HEADERS, authorization: `Bearer ${sessions[worker].accessToken}` } })
    await response.arrayBuffer()
    return response.status === 404
  }
}

function rotationStep(url, sessions) {
  return async (worker) => {
    const session = sessions[worker]
    const response = await fetch(`${url}/api/auth/refresh`, {
      method: 'POST',
      headers: { ...CLIENT_HEADERS, 'content-type': 'application/json', 'x-device-id': session.deviceId },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    })
    const body = await response.json()
    if (response.status !== 200 || !body.rotated) return false
    session.refreshToken = body.refreshToken
    return true
  }
}

export async function benchRotation({ url, store, levels, rounds, seconds, log }) {
  const results = []
  for (const concurrency of levels) {
    const sessions = await signInMany(url, concurrency)
    const kinds = { trivial: trivialStep(url, sessions), rotation: rotationStep(url, sessions) }
    await closedLoop({ concurrency, seconds: 1, step: kinds.trivial })
    await closedLoop({ concurrency, seconds: 1, step: kinds.rotation })
    const runs = { trivial: [], rotation: [] }
    for (let round = 0; round < rounds; round++) {
      for (const kind of round % 2 ? ['rotation', 'trivial'] : ['trivial', 'rotation']) runs[kind].push(await closedLoop({ concurrency, seconds, step: kinds[kind] }))
    }
    const summary = (kind) => ({
      perSecond: median(runs[kind].map((r) => r.perSecond)),
      p50: median(runs[kind].map((r) => r.p50)),
      p99: median(runs[kind].map((r) => r.p99)),
      failures: runs[kind].reduce((sum, r) => sum + r.failures, 0),
    })
    const rotation = summary('rotation')
    const trivial = summary('trivial')
    const row = { store, concurrency, rotation, trivial, ratio: rotation.perSecond / trivial.perSecond, p99Ratio: rotation.p99 / trivial.p99 }
    log(`rotation: ${store} ×${concurrency}: ${rotation.perSecond.toFixed(0)}/s p50 ${rotation.p50.toFixed(1)} p99 ${rotation.p99.toFixed(1)} ms (${rotation.failures} failed) vs trivial ${trivial.perSecond.toFixed(0)}/s p99 ${trivial.p99.toFixed(1)} ms → ${row.ratio.toFixed(3)}×`)
    results.push(row)
  }
  return results
}
