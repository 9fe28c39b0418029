// Preloaded into a bench server (node --expose-gc --require bench/lib/gc-on-signal.cjs): on
// SIGUSR2 it collects garbage twice and writes process.memoryUsage() as JSON to BENCH_MEM_FILE,
// so the bench reads heap and RSS after a full GC rather than whenever V8 last collected.
// CommonJS on purpose: --require preloads it before Next's server starts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeFileSync } = require('node:fs')

process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') {
    global.gc()
    global.gc()
  }
  if (process.env.BENCH_MEM_FILE) writeFileSync(process.env.BENCH_MEM_FILE, JSON.stringify(process.memoryUsage()))
})
