// The demo accounts of the embedded default (SPEC §7): seeded by lib/auth/demo-accounts.ts (from instrumentation.ts), shown on the
// sign-in page, used by the e2e tests. Seeded into a real database only with SEED_DEMO_USERS=1.

export type DemoUser = { email: string; password: string; name: string; role: 'admin' | 'user' }

export const DEMO_ADMIN: DemoUser = { email: 'admin@example.com', password: 'admin-password-1', name: 'Demo Admin', role: 'admin' }
export const DEMO_USER: DemoUser = { email: 'user@example.com', password: 'user-password-1', name: 'Demo User', role: 'user' }

export const DEMO_USERS: readonly DemoUser[] = [DEMO_ADMIN, DEMO_USER]
