import http from 'node:http'
import { CLIENT_HEADERS, mintAccessToken } from './auth.mjs'
import { processMemory, sleep } from './servers.mjs'

// The gate's memory after DISTINCT valid access tokens (default 100,000): each is signed with the
// servers' own key by this process, sent once to the trivial protected route, and so verified
// once and put in the gate's bounded claims cache (lib/auth/verified-tokens.ts, 10,000 entries).
// RSS and V8 heap are read after a forced full GC, before and after.

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 })

function get(url, token) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { ...CLIENT_HEADERS, authorization: `Bearer ${token}` } }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode))
    })
    request.on('error', reject)
  })
}

async function snapshot(server) {
  const usage = await server.memoryUsage()
  // V8 hands the pages of a full GC back to the system a moment later: read /proc after that.
  await sleep(1500)
  return { rssMiB: processMemory(server.pid).rssMiB, heapUsedMiB: usage.heapUsed / 2 ** 20, heapTotalMiB: usage.heapTotal / 2 ** 20, externalMiB: usage.external / 2 ** 20 }
}

/** Stops early at `maxSeconds` (a bounded run on a slow machine) and reports how many tokens it sent. */
export async function benchMemory({ server, key, tokens, maxSeconds, concurrency = 16, log }) {
  const url = `${server.url}/api/nope`
  const warm = await mintAccessToken(key.privateKey, key.jwk.kid)
  for (let i = 0; i < 2_000; i++) await get(url, i % 2 ? warm : await mintAccessToken(key.privateKey, key.jwk.kid))
  const before = await snapshot(server)
  let sent = 0
  let wrong = 0
  const started = Date.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < tokens && Date.now() - started < maxSeconds * 1000) {
        sent += 1
        const status = await get(url, await mintAccessToken(key.privateKey, key.jwk.kid))
        if (status !== 404) wrong += 1
      }
    }),
  )
  const seconds = (Date.now() - started) / 1000
  const after = await snapshot(server)
  const row = { name: server.name, tokens: sent, target: tokens, seconds, wrong, before, after, rssGrowthMiB: after.rssMiB - before.rssMiB, heapGrowthMiB: after.heapUsedMiB - before.heapUsedMiB }
  log(`memory: ${server.name}: ${sent} tokens in ${seconds.toFixed(0)} s (${wrong} not 404): RSS ${before.rssMiB.toFixed(0)} → ${after.rssMiB.toFixed(0)} MiB, heap ${before.heapUsedMiB.toFixed(0)} → ${after.heapUsedMiB.toFixed(0)} MiB`)
  return row
}
