import { hammer, median, rotated } from './load.mjs'

// The gate's cost: every proxy.ts variant on the same two routes, with the same signed-in Cookie
// header (the app's access cookie, plus an Auth.js session cookie for that variant), in alternating
// rounds, so a noisy neighbour slows every variant alike. Throughput is compared as a ratio to the
// no-op proxy measured in the same run.

export const ROUTES = [
  { name: 'api', label: 'trivial protected API route (GET /api/nope, 404)', path: '/api/nope', expect: 404 },
  { name: 'dashboard', label: '/dashboard (server-rendered page)', path: '/dashboard', expect: 200 },
]
export const GATED = new Set(['ours', 'jose', 'authjs'])

async function status(url, headers) {
  const response = await fetch(url, { headers, redirect: 'manual' })
  await response.arrayBuffer()
  return response.status
}

/**
 * Proof that the trivial route passes through each gate: signed out, a gated variant refuses it
 * (401), an ungated one answers the route's 404; signed in, every variant reaches the route.
 */
async function proveRoutes(servers, headers) {
  const proof = {}
  for (const { variant, url } of servers) {
    const signedOut = await status(`${url}/api/nope`, {})
    const signedIn = Object.fromEntries(await Promise.all(ROUTES.map(async (route) => [route.name, await status(url + route.path, headers)])))
    const gatedOk = GATED.has(variant) ? signedOut === 401 : signedOut === 404
    const reached = ROUTES.every((route) => signedIn[route.name] === route.expect)
    if (!gatedOk || !reached) throw new Error(`gate ${variant}: signed out /api/nope → ${signedOut}, signed in ${JSON.stringify(signedIn)}`)
    proof[variant] = { signedOutApi: signedOut, signedIn }
  }
  return proof
}

/** The median over rounds of this variant's requests/s ÷ the no-op's in the same round: cancels drift between rounds. */
export function perRoundRatio(rounds, noopRounds) {
  return median(rounds.map((rps, i) => rps / noopRounds[i]))
}

export async function benchGate({ servers, headers, rounds, seconds, connections, log }) {
  const proof = await proveRoutes(servers, headers)
  log(`gate: routes proven (signed out /api/nope: ${servers.map((s) => `${s.variant} ${proof[s.variant].signedOutApi}`).join(', ')})`)
  for (const { url } of servers) for (const route of ROUTES) await hammer({ url: url + route.path, headers, connections, seconds: 1, expect: route.expect })
  const samples = Object.fromEntries(ROUTES.map((route) => [route.name, Object.fromEntries(servers.map((s) => [s.variant, []]))]))
  for (let round = 0; round < rounds; round++) {
    for (const route of ROUTES) {
      for (const { variant, url } of rotated(servers, round)) {
        const result = await hammer({ url: url + route.path, headers, connections, seconds, expect: route.expect })
        if (result.unexpected > 0) throw new Error(`gate ${variant} ${route.path}: ${result.unexpected} unexpected answers ${JSON.stringify(result.counts)}`)
        samples[route.name][variant].push(result)
      }
    }
    log(`gate: round ${round + 1}/${rounds} ${ROUTES.map((route) => `${route.name} ${servers.map((s) => `${s.variant}=${Math.round(samples[route.name][s.variant].at(-1).rps)}`).join(' ')}`).join(' | ')}`)
  }
  const routes = {}
  for (const route of ROUTES) {
    const noop = median(samples[route.name].noop.map((s) => s.rps))
    routes[route.name] = {
      label: route.label,
      path: route.path,
      variants: Object.fromEntries(
        servers.map(({ variant }) => {
          const runs = samples[route.name][variant]
          const rps = median(runs.map((s) => s.rps))
          const rounds = runs.map((s) => s.rps)
          const roundRatio = perRoundRatio(rounds, samples[route.name].noop.map((s) => s.rps))
          return [variant, { rps, p50: median(runs.map((s) => s.p50)), p99: median(runs.map((s) => s.p99)), ratio: rps / noop, roundRatio, rounds: rounds.map(Math.round) }]
        }),
      ),
    }
  }
  return { rounds, seconds, connections, proof, routes }
}
