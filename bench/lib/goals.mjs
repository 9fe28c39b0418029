// The goals, each reported met or missed with its figure (never asserted), and the quick
// mode's floors, the only checks that can fail a run. Floors sit well under what was measured: on
// this 2-core, shared machine a ratio moves by ±20% between runs. The gate on the trivial route
// measured 0.77-0.80× the no-op proxy in full runs, so its floor is 0.65 (decision 026); it is
// judged on the median of per-round ratios, which drift between rounds does not move.

export const FLOORS = { gate: { api: 0.65, dashboard: 0.8 }, rotationRatio: 0.08 }
const MB = 1.048576 // MiB → MB

const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a')

export function floorChecks(result) {
  const checks = []
  for (const [name, route] of Object.entries(result.gate?.routes ?? {})) {
    const ours = route.variants.ours
    const ratio = ours?.roundRatio ?? ours?.ratio
    const floor = FLOORS.gate[name] ?? 0.8
    checks.push({ check: `gate ${name}: ours ≥ ${floor}× no-op (median of per-round ratios)`, value: ratio, ok: ratio >= floor })
  }
  for (const row of result.rotation ?? []) {
    checks.push({ check: `rotation ${row.store} ×${row.concurrency}: ≥ ${FLOORS.rotationRatio}× trivial route`, value: row.ratio, ok: row.ratio >= FLOORS.rotationRatio })
  }
  return checks.map((c) => ({ ...c, figure: fmt(c.value, 3) }))
}

const goal = (label, figure, met) => ({ goal: label, figure, met: met === undefined || Number.isNaN(met) ? null : Boolean(met) })

export function evaluateGoals(result) {
  const goals = []
  const gate = result.gate?.routes
  if (gate) {
    const api = gate.api.variants
    const page = gate.dashboard.variants
    goals.push(goal('gate ≥ 0.95× no-op on the trivial protected route', `${fmt(api.ours.ratio, 3)}×`, api.ours.ratio >= 0.95))
    goals.push(goal('gate ≥ 0.98× no-op on /dashboard', `${fmt(page.ours.ratio, 3)}×`, page.ours.ratio >= 0.98))
    for (const [name, variants] of [['trivial route', api], ['/dashboard', page]]) {
      if (variants.jose && variants.authjs) {
        goals.push(goal(`gate ahead of jose and Auth.js on the ${name}`, `ours ${fmt(variants.ours.ratio, 3)}×, jose ${fmt(variants.jose.ratio, 3)}×, Auth.js ${fmt(variants.authjs.ratio, 3)}×`, variants.ours.rps > variants.jose.rps && variants.ours.rps > variants.authjs.rps))
      }
    }
  }
  const at32 = (store) => result.rotation?.find((row) => row.store === store && row.concurrency === 32)
  const pg = at32('postgres')
  if (pg) {
    goals.push(goal('Postgres rotations/s ≥ 0.5× trivial route at 32 concurrent', `${fmt(pg.ratio, 3)}× (${fmt(pg.rotation.perSecond, 0)}/s vs ${fmt(pg.trivial.perSecond, 0)}/s)`, pg.ratio >= 0.5))
    goals.push(goal('Postgres rotation p99 ≤ 1.5× trivial p99 at 32 concurrent', `${fmt(pg.p99Ratio, 2)}× (${fmt(pg.rotation.p99, 0)} ms vs ${fmt(pg.trivial.p99, 0)} ms)`, pg.p99Ratio <= 1.5))
  }
  const lite = at32('pglite')
  if (lite) goals.push(goal('PGlite rotations/s ≥ 0.25× trivial route at 32 concurrent', `${fmt(lite.ratio, 3)}× (${fmt(lite.rotation.perSecond, 0)}/s vs ${fmt(lite.trivial.perSecond, 0)}/s)`, lite.ratio >= 0.25))
  const memory = result.memory?.find((row) => row.name === 'gate-memory')
  if (memory) goals.push(goal(`gate memory growth ≤ 50 MB after ${memory.tokens.toLocaleString('en')} distinct tokens`, `RSS +${fmt(memory.rssGrowthMiB * MB, 1)} MB, heap +${fmt(memory.heapGrowthMiB * MB, 1)} MB`, memory.tokens < memory.target ? null : memory.rssGrowthMiB * MB <= 50))
  const signIn = (n) => result.signIn?.find((row) => row.concurrency === n)
  if (signIn(8)) goals.push(goal('sign-ins ≥ 4× scrypt-era (~4/s, so ≥ 16/s) at 8 concurrent', `${fmt(signIn(8).perSecond, 1)}/s`, signIn(8).perSecond >= 16))
  if (signIn(32)) {
    const row = signIn(32)
    goals.push(goal('32 concurrent sign-ins: peak RSS growth ≤ 300 MB, no correct password refused', `+${fmt(row.peakGrowthMiB * MB, 0)} MB, ${row.refused} refused`, row.peakGrowthMiB * MB <= 300 && row.refused === 0))
  }
  return goals
}
