import nextVitals from 'eslint-config-next/core-web-vitals'
import nextTs from 'eslint-config-next/typescript'

const SERVER_ONLY = {
  group: ['@/lib/store', '@/lib/store/*', '@/lib/config', '@/lib/auth', '@/lib/auth/*', '@/lib/http', '@/lib/http/*'],
  message: 'Browser code: share through lib/shared/* instead.',
}
const COMPONENTS = { group: ['@/components', '@/components/*'], message: 'lib never imports components.' }

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
  // Browser code never reaches server modules (lib/shared/* is the way to share), and lib never
  // imports components: the dependency runs components → lib only.
  ...[
    { files: ['components/**'], groups: [SERVER_ONLY] },
    { files: ['lib/client/**'], groups: [SERVER_ONLY, COMPONENTS] },
    { files: ['lib/**'], ignores: ['lib/client/**'], groups: [COMPONENTS] },
  ].map(({ groups, ...where }) => ({ ...where, rules: { 'no-restricted-imports': ['error', { patterns: groups }] } })),
]

export default config
