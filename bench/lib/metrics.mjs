import { createServer } from 'node:http'
import { hammer, median, rotated } from './load.mjs'
import { ROUTES } from './gate.mjs'

// Issue 12: the gate's throughput with metrics on versus off, in the same run. Two servers of the
// same production build ("ours"): one without OTEL_EXPORTER_OTLP_ENDPOINT (the API's no-op meter
// takes every call, decision 023), one exporting to the sink below. Both get the same signed-in
// request on the gate part's routes, in alternating rounds; the judged figure is on ÷ off.

/**
 * A tiny OTLP/HTTP sink on 127.0.0.1: answers 200 (an empty body, a valid empty
 * Export…ServiceResponse in JSON and protobuf alike) to every POST and counts them, so the run
 * proves the exporter was live.
 */
export async function startOtlpSink() {
  const counts = { posts: 0, bytes: 0, paths: {} }
  const server = createServer((request, response) => {
    let bytes = 0
    request.on('data', (chunk) => (bytes += chunk.length))
    request.on('end', () => {
      if (request.method === 'POST') {
        counts.posts += 1
        counts.bytes += bytes
        counts.paths[request.url] = (counts.paths[request.url] ?? 0) + 1
      }
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' })
      response.end()
    })
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

export async function benchMetrics({ servers, headers, sink, rounds, seconds, connections, log }) {
  for (const { variant, url } of servers) {
    for (const route of ROUTES) {
      const warm = await hammer({ url: url + route.path, headers, connections, seconds: 1, expect: route.expect })
      if (warm.unexpected > 0) throw new Error(`metrics ${variant} ${route.path}: ${warm.unexpected} unexpected answers ${JSON.stringify(warm.counts)}`)
    }
  }
  const exportsBefore = sink.counts.posts
  const started = Date.now()
  const samples = Object.fromEntries(ROUTES.map((route) => [route.name, Object.fromEntries(servers.map((s) => [s.variant, []]))]))
  for (let round = 0; round < rounds; round++) {
    for (const route of ROUTES) {
      for (const { variant, url } of rotated(servers, round)) {
        const result = await hammer({ url: url + route.path, headers, connections, seconds, expect: route.expect })
        if (result.unexpected > 0) throw new Error(`metrics ${variant} ${route.path}: ${result.unexpected} unexpected answers ${JSON.stringify(result.counts)}`)
        samples[route.name][variant].push(result)
      }
    }
    log(`metrics: round ${round + 1}/${rounds} ${ROUTES.map((route) => `${route.name} ${servers.map((s) => `${s.variant}=${Math.round(samples[route.name][s.variant].at(-1).rps)}`).join(' ')}`).join(' | ')}; exports ${sink.counts.posts}`)
  }
  const routes = {}
  for (const route of ROUTES) {
    const rps = (variant) => samples[route.name][variant].map((s) => s.rps)
    const off = median(rps('off'))
    const on = median(rps('on'))
    routes[route.name] = {
      label: route.label,
      path: route.path,
      off: { rps: off, p50: median(samples[route.name].off.map((s) => s.p50)), p99: median(samples[route.name].off.map((s) => s.p99)), rounds: rps('off').map(Math.round) },
      on: { rps: on, p50: median(samples[route.name].on.map((s) => s.p50)), p99: median(samples[route.name].on.map((s) => s.p99)), rounds: rps('on').map(Math.round) },
      ratio: on / off,
      roundRatio: median(rps('on').map((value, i) => value / rps('off')[i])),
    }
  }
  return {
    rounds,
    seconds,
    connections,
    routes,
    exports: { total: sink.counts.posts, duringRounds: sink.counts.posts - exportsBefore, bytes: sink.counts.bytes, paths: sink.counts.paths, measuredSeconds: Math.round((Date.now() - started) / 1000) },
  }
}
