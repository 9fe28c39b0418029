import type { FullConfig } from '@playwright/test'
import { readdir, rm } from 'node:fs/promises'
import path from 'node:path'

// Runs once the web server answers.
export default async function globalSetup(config: FullConfig) {
  await removeEarlierRunsData()
  await warmUp(config.projects[0]?.use.baseURL)
}

// Each run gets its own embedded database (playwright.config.ts); remove earlier runs' ones.
// The current run's directory is in use by the web server and stays.
async function removeEarlierRunsData() {
  const current = path.basename(process.env.E2E_DATA_DIR ?? '')
  const entries = await readdir('.data', { withFileTypes: true }).catch(() => [])
  await Promise.all(
    entries
      .filter((entry) => entry.isDirectory() && entry.name.startsWith('e2e-') && entry.name !== current)
      .map((entry) => rm(path.join('.data', entry.name), { recursive: true, force: true })),
  )
}

// The first request that needs the database opens, migrates and seeds the embedded one, which
// takes seconds; pay that here rather than inside whichever test happens to run first.
// A sign-in attempt for an account that does not exist touches the database and nothing else.
async function warmUp(baseURL: string | undefined) {
  if (!baseURL) return
  await fetch(new URL('/api/auth/login', baseURL), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: new URL(baseURL).origin },
    body: JSON.stringify({ email: 'e2e-warm-up@example.com', password: 'not-a-real-account' }),
  })
}
