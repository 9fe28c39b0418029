import { writeFileSync } from 'node:fs'
import path from 'node:path'
import * as vega from 'vega'
import { compile } from 'vega-lite'
import { perRoundRatio } from './gate.mjs'

// docs/benchmarks.md (tables), docs/benchmarks.svg (vega-lite, rendered headlessly: no browser,
// no canvas) and docs/benchmarks.json (every raw figure).

const NAMES = { none: 'no proxy.ts', noop: 'no-op proxy.ts', jose: 'jose jwtVerify gate', authjs: 'Auth.js v5 decode', ours: 'ours (proxy.ts)' }
const f = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a')
const table = (head, rows) => [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n')

async function chartSvg(result) {
  const gateRows = Object.entries(result.gate?.routes ?? {}).flatMap(([route, r]) =>
    Object.entries(r.variants).map(([variant, v]) => ({ route: route === 'api' ? 'GET /api/nope' : '/dashboard', variant: NAMES[variant], ratio: Number(v.ratio.toFixed(3)) })),
  )
  const rotationRows = (result.rotation ?? []).map((row) => ({ store: row.store, concurrency: `×${row.concurrency}`, ratio: Number(row.ratio.toFixed(3)) }))
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { font: 'sans-serif', view: { stroke: null } },
    resolve: { scale: { color: 'independent' } },
    hconcat: [
      {
        title: 'Gate throughput, ratio to the no-op proxy.ts',
        data: { values: gateRows },
        width: 260,
        height: 200,
        layer: [
          {
            mark: 'bar',
            encoding: {
              x: { field: 'variant', type: 'nominal', sort: Object.values(NAMES), axis: { labelAngle: -35, title: null } },
              xOffset: { field: 'route' },
              y: { field: 'ratio', type: 'quantitative', title: 'requests/s ÷ no-op' },
              color: { field: 'route', type: 'nominal', title: 'route' },
            },
          },
          { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 1 } } },
        ],
      },
      {
        title: 'Rotations/s, ratio to a trivial route',
        data: { values: rotationRows },
        width: 200,
        height: 200,
        mark: 'bar',
        encoding: {
          x: { field: 'concurrency', type: 'ordinal', sort: ['×1', '×8', '×32'], title: 'concurrent sessions', axis: { labelAngle: 0 } },
          xOffset: { field: 'store' },
          y: { field: 'ratio', type: 'quantitative', title: 'rotations/s ÷ trivial requests/s' },
          color: { field: 'store', type: 'nominal', title: 'database' },
        },
      },
    ],
  }
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  return view.toSVG()
}

function markdown(result) {
  const m = result.machine
  const out = []
  out.push('# Benchmarks', '')
  out.push(`Written by \`npm run bench\` (bench/run.mjs, decision 026) on ${m.date.slice(0, 16).replace('T', ' ')} UTC: ${m.nproc} cores (\`nproc\`), ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}, load average ${m.loadAverage.join(' / ')} at the start. The run took ${Math.round(result.seconds / 60)} min. The machine is shared and noisy: read ratios between variants measured in the same alternating rounds, not absolute figures. Raw figures: [benchmarks.json](benchmarks.json).`, '')
  if (result.notes?.length) out.push(...result.notes.map((note) => `- ${note}`), '')
  out.push('![Gate and rotation ratios](benchmarks.svg)', '')
  out.push('## Goals', '')
  out.push(table(['goal', 'figure', ''], result.goals.map((g) => [g.goal, g.figure, g.met === null ? '?' : g.met ? 'met' : '**missed**'])), '')
  if (result.gate) {
    const g = result.gate
    out.push('## The gate', '')
    out.push(`Production builds (\`next start\`), one per proxy.ts variant, all on one Postgres database with the same signing key; every request carries the same signed-in Cookie header. autocannon, ${g.connections} connections, ${g.rounds} rounds of ${g.seconds} s per variant and route, the variant order rotated each round (ABCDE, BCDEA, …); medians. Signed out, \`/api/nope\` answers ${Object.entries(g.proof).map(([v, p]) => `${NAMES[v]} ${p.signedOutApi}`).join(', ')}: the route passes through each gate.`, '')
    for (const route of Object.values(g.routes)) {
      out.push(`**${route.label}**`, '')
      const noopRounds = route.variants.noop.rounds
      out.push(table(['variant', 'requests/s (median)', 'ratio to no-op', 'median of per-round ratios', 'p50 ms', 'p99 ms', 'requests/s per round'], Object.entries(route.variants).map(([v, r]) => [NAMES[v], f(r.rps), f(r.ratio, 3), f(r.roundRatio ?? perRoundRatio(r.rounds, noopRounds), 3), f(r.p50, 1), f(r.p99, 1), r.rounds.join(', ')])), '')
    }
  }
  if (result.metrics) {
    const mt = result.metrics
    out.push('## Metrics on versus off', '')
    out.push(`Issue 12: two servers of the same production build ("ours"), one without OTEL_EXPORTER_OTLP_ENDPOINT, one exporting to an OTLP/HTTP sink in the bench process (127.0.0.1, answers 200 to every POST and counts them; the product exports every 30 s). The same signed-in request on both, autocannon, ${mt.connections} connections, ${mt.rounds} alternating rounds of ${mt.seconds} s; medians. The sink received ${mt.exports.afterStop} exports (${mt.exports.duringRounds} during the ${mt.exports.measuredSeconds} s of rounds). Only with \`BENCH_ONLY=metrics\`.`, '')
    out.push(table(['route', 'metrics off req/s', 'metrics on req/s', 'on ÷ off', 'median of per-round ratios', 'p99 ms off / on', 'req/s per round off', 'req/s per round on'], Object.values(mt.routes).map((r) => [r.label, f(r.off.rps), f(r.on.rps), f(r.ratio, 3), f(r.roundRatio, 3), `${f(r.off.p99, 1)} / ${f(r.on.p99, 1)}`, r.off.rounds.join(', '), r.on.rounds.join(', ')])), '')
  }
  if (result.rotation) {
    out.push('## Refresh rotation', '')
    out.push(`Each of N signed-in sessions rotates its own refresh token back to back (bearer mode, POST /api/auth/refresh), against the same N workers calling the trivial protected route of the same server; ${result.plan.rotation.rounds} alternating rounds of ${result.plan.rotation.seconds} s, medians. Rate limits lifted for the bench (AUTH_REFRESH_MIN_INTERVAL=0s).`, '')
    out.push(table(['database', 'sessions', 'rotations/s', 'p50 ms', 'p99 ms', 'trivial req/s', 'trivial p99 ms', 'ratio', 'p99 ratio', 'failed'], result.rotation.map((r) => [r.store, r.concurrency, f(r.rotation.perSecond), f(r.rotation.p50, 1), f(r.rotation.p99, 1), f(r.trivial.perSecond), f(r.trivial.p99, 1), f(r.ratio, 3), f(r.p99Ratio, 2), r.rotation.failures])), '')
  }
  if (result.signIn) {
    out.push('## Sign-in', '')
    out.push(`N workers signing in with the correct password back to back for ${result.plan.signIn.seconds} s (argon2id, decision 019), each from an address of its own (X-Forwarded-For with AUTH_TRUST_PROXY=1; from one address the product checks 16 passwords at once). Peak RSS is VmHWM, reset before each level (/proc/PID/clear_refs), over the RSS before it after a full GC.`, '')
    out.push(table(['concurrent', 'sign-ins/s', 'p50 ms', 'p99 ms', 'refused', 'RSS before MiB', 'peak RSS MiB', 'peak growth MiB'], result.signIn.map((r) => [r.concurrency, f(r.perSecond, 1), f(r.p50), f(r.p99), r.refused, f(r.rssBeforeMiB), f(r.peakMiB), f(r.peakGrowthMiB)])), '')
  }
  if (result.memory) {
    out.push('## Gate memory', '')
    out.push('Distinct valid access tokens (minted with the servers\' key), each sent once to the trivial protected route; RSS and V8 heap after a forced full GC (`--expose-gc`, bench/lib/gc-on-signal.cjs), after a 2,000-request warm-up and after the tokens.', '')
    out.push(table(['server', 'malloc arenas', 'tokens', 'RSS before → after MiB', 'RSS growth MiB', 'heap used before → after MiB', 'heap growth MiB'], result.memory.map((r) => [r.name, r.mallocArenaMax, r.tokens.toLocaleString('en'), `${f(r.before.rssMiB)} → ${f(r.after.rssMiB)}`, f(r.rssGrowthMiB, 1), `${f(r.before.heapUsedMiB, 1)} → ${f(r.after.heapUsedMiB, 1)}`, f(r.heapGrowthMiB, 1)])), '')
  }
  if (result.firstLoad) {
    out.push('## First-load JavaScript', '')
    out.push('From the build output: the root main files of build-manifest.json and the entry chunks of the page\'s client reference manifest, each once, gzipped (node:zlib, level 9).', '')
    out.push(table(['page', 'files', 'raw KiB', 'gzipped KiB'], Object.entries(result.firstLoad).map(([page, r]) => [page, r.files, f(r.rawKiB, 1), f(r.gzipKiB, 1)])), '')
  }
  out.push('## Run it', '', '```bash', 'npm run bench                      # full run, ~25 min: writes docs/benchmarks.{md,svg,json}', 'BENCH_QUICK=1 npm run bench        # CI floors, ≤ 6 min: bench-results/bench.json', 'BENCH_ONLY=sign-in,memory npm run bench   # some parts only: bench-results/bench.json', 'BENCH_ONLY=metrics BENCH_PORT_BASE=3500 BENCH_DATABASE=njjwt_bench_metrics npm run bench   # metrics on vs off, beside CI', '```', '')
  return out.join('\n')
}

export async function writeReport(result, docsDir) {
  writeFileSync(path.join(docsDir, 'benchmarks.md'), markdown(result))
  writeFileSync(path.join(docsDir, 'benchmarks.svg'), await chartSvg(result))
}
