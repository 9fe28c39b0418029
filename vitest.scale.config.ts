import { defineConfig } from 'vitest/config'

// `npm run test:scale` (issue 10 "Prove"; SPEC §10): two production instances of the standalone
// server on one Postgres database and one Redis of the suite's own (tests/scale/support/
// global-setup.ts), driven over HTTP on 127.0.0.1. The files share those instances and measure
// latency, so they run one after another; `npm test` leaves them out (vitest.config.ts).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/scale/**/*.test.ts'],
    globalSetup: ['tests/scale/support/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    // A soak of SOAK_S seconds (40 by default; 300 for the long run) is one test.
    testTimeout: 120_000 + Number(process.env.SOAK_S ?? 40) * 1_000,
    hookTimeout: 180_000,
    // Latency figures are measured, not retried into shape.
    retry: 0,
  },
})
