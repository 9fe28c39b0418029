import nextVitals from 'eslint-config-next/core-web-vitals'
import nextTs from 'eslint-config-next/typescript'

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ['.next/**', 'node_modules/**', '.data/**', 'drizzle/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**'],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Only lib/config.ts reads process.env (SPEC §1); scripts and tests may.
    files: ['app/**', 'lib/**', 'components/**', 'proxy.ts'],
    ignores: ['lib/config.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through getConfig() (lib/config.ts).' }],
    },
  },
  {
    // The layers of the README's architecture section (issue 9): every import points down, none
    // goes round in a circle. `import type` counts too: a layer that needs another's types gets
    // them from lib/shared.
    files: ['app/**', 'lib/**', 'components/**', 'proxy.ts', 'instrumentation.ts'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'lib/client/testing/**'],
    settings: { 'import/ignore': ['node_modules'] },
    rules: {
      'import/no-cycle': ['error', { ignoreExternal: true }],
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './lib/shared', from: ['./lib', './app', './components', './proxy.ts'], except: ['./shared'], message: 'lib/shared is import-free: types and constants for every layer.' },
            { target: './lib/store', from: ['./lib/auth', './lib/http', './lib/client', './app', './components', './proxy.ts'], message: 'lib/store is the bottom layer: it imports only lib/config, lib/ids and lib/shared.' },
            { target: './lib/auth', from: ['./lib/http', './lib/client', './app', './components', './proxy.ts'], message: 'lib/auth is the core: it knows no HTTP (lib/http), no browser and no route.' },
            { target: './lib/http', from: ['./lib/auth', './lib/client', './app', './components', './proxy.ts'], message: 'lib/http is the edge: it renders what lib/auth decides but never imports it (the routes call both).' },
            { target: ['./lib/client', './components'], from: ['./lib/store', './lib/config.ts', './lib/auth', './lib/http', './lib/ids.ts', './lib/audit.ts', './app'], message: 'Browser code reads no server module: share through lib/shared.' },
            { target: './lib', from: ['./components', './app', './proxy.ts'], message: 'Nothing under lib/ imports components/, app/ or the gate.' },
            { target: './app/**/route.ts', from: './lib/store', message: 'Route handlers call a use case in lib/auth; they never touch storage.' },
          ],
        },
      ],
    },
  },
]

export default config
