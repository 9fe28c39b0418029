import path from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // `server-only` throws outside React's server condition; tests are server code.
      'server-only': path.resolve(import.meta.dirname, 'tests/support/server-only.ts'),
    },
  },
  test: {
    environment: 'node',
    // Component tests (.test.tsx) opt into jsdom per file with `// @vitest-environment jsdom`.
    include: ['**/*.test.ts', '**/*.test.tsx'],
    // tests/scale/** needs a production build and services of its own: `npm run test:scale`.
    exclude: ['node_modules/**', 'e2e/**', '.next/**', 'tests/scale/**'],
    setupFiles: ['tests/support/setup.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
