import { readdir, rm } from 'node:fs/promises'
import path from 'node:path'

// Each run gets its own embedded database (playwright.config.ts); remove earlier runs' ones.
// The current run's directory is in use by the web server and stays.
export default async function globalSetup() {
  const current = path.basename(process.env.E2E_DATA_DIR ?? '')
  const entries = await readdir('.data', { withFileTypes: true }).catch(() => [])
  await Promise.all(
    entries
      .filter((entry) => entry.isDirectory() && entry.name.startsWith('e2e-') && entry.name !== current)
      .map((entry) => rm(path.join('.data', entry.name), { recursive: true, force: true })),
  )
}
