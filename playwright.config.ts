import { defineConfig, devices } from '@playwright/test'

// E2E against a production build (`npm run build` first; CI does) with short token lifetimes
// (SPEC §10). Chromium is the system one: no browser download.

const PORT = Number(process.env.PORT ?? 3100)
const BASE_URL = `http://127.0.0.1:${PORT}`

// A fresh embedded database per run. Set once in the runner process; workers inherit the env,
// so every process that loads this file agrees on it.
process.env.E2E_DATA_DIR ??= `.data/e2e-${Date.now()}`

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  forbidOnly: Boolean(process.env.CI),
  globalSetup: './e2e/global-setup.ts',
  // The first sign-in of a run also opens the embedded database, migrates and seeds it.
  expect: { timeout: 10_000 },
  // Sign-in plus an axe scan of a hydrated page can pass 30 s on a busy 2-core machine.
  timeout: 60_000,
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'],
        },
      },
    },
  ],
  webServer: {
    command: `npm run start -- -p ${PORT} -H 127.0.0.1`,
    url: `${BASE_URL}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      AUTH_ACCESS_TTL: '20s',
      AUTH_REFRESH_TTL: '2m',
      AUTH_REUSE_GRACE: '2s',
      // The warning opens inside the refresh window (lib/auth/browser-timings.ts), so it keeps
      // its 10 s; active people are refreshed 4 s before expiry.
      AUTH_REFRESH_WINDOW: '10s',
      AUTH_PROACTIVE_REFRESH: '4s',
      AUTH_REFRESH_MIN_INTERVAL: '1s',
      AUTH_WARNING_BEFORE: '10s',
      // Every spec reaches the server from 127.0.0.1, so one address would spend the per-address
      // budgets of a whole office: a full run signs in well over 100 times in 15 minutes, and the
      // last spec met 429 on a fast machine. Those budgets are attacked in tests/ (vitest) and
      // across instances in tests/scale; here they are out of the way.
      AUTH_LOGIN_IP_LIMIT: '100000',
      AUTH_REGISTER_LIMIT: '100000',
      AUTH_REFRESH_IP_LIMIT: '100000',
      DATA_DIR: process.env.E2E_DATA_DIR,
      // e2e/cors.spec.ts serves a bearer-mode page from this second origin.
      CORS_ALLOWED_ORIGINS: 'http://127.0.0.1:3197',
      // e2e/webhooks.spec.ts listens here while it runs; other specs' events find no one and are retried.
      WEBHOOK_URL: 'http://127.0.0.1:3196/hooks',
      WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 5).toString('base64')}`,
    },
  },
})
