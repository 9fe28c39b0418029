// Runs once when a server instance starts, before it serves requests. Validating the
// configuration here turns a missing Vercel variable into a start-up error (SPEC §1), and opening
// the database here means the embedded PGlite is created, migrated and seeded before the first
// visitor instead of during their sign-in.
export async function register() {
  // NEXT_RUNTIME is Next's own marker of which runtime loads this file, not app configuration.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { stampPeerAddresses } = await import('./lib/http/peer-address')
  stampPeerAddresses()
  const { refuseUnservableMethods } = await import('./lib/http/unservable-methods')
  refuseUnservableMethods()
  const { getConfig } = await import('./lib/config')
  const config = getConfig()
  const { setUpTelemetry } = await import('./lib/telemetry/setup')
  const exporting = await setUpTelemetry()
  const { getDb } = await import('./lib/store/db')
  const { getKeySet } = await import('./lib/auth/keys')
  const [db] = await Promise.all([getDb(), getKeySet()])
  if (config.seedDemoUsers) {
    const { seedDemoUsers } = await import('./lib/auth/demo-accounts')
    await seedDemoUsers(db)
  }
  const { startWebhookWorker } = await import('./lib/webhooks/outbox')
  startWebhookWorker()
  const { getLogger } = await import('./lib/telemetry/log')
  getLogger().info({ event: 'ready', database: config.database.kind, kv: config.kv.kind, metrics: exporting ? 'otlp' : 'off' }, 'NJ-JWT ready')
}
