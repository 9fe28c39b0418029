import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files from its own package folder at run time.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', '@node-rs/argon2'],
  // The container path (Dockerfile): `.next/standalone/server.js` with only the files it needs.
  // `next start` keeps working for the embedded default and the e2e tests.
  output: 'standalone',
  // Read from disk at run time, so file tracing cannot see them: the migrations (lib/store/db.ts)
  // and PGlite's WASM and data bundle.
  outputFileTracingIncludes: { '/**': ['./drizzle/**/*', './node_modules/@electric-sql/pglite/dist/*.{js,cjs,wasm,data}'] },
  poweredByHeader: false,
  // The app shows no next/image: without the optimizer /_next/image answers the 404 page, instead
  // of a bare 500 for `?url=%2F%` (its validation decodes the url unguarded) and a fetch-and-resize
  // endpoint anyone may call.
  images: { unoptimized: true },
  // The build checks the app's own code; `npm run typecheck` checks everything, tests included.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  // forbidden() → app/forbidden.tsx with status 403 (the gate's RBAC answer for pages).
  experimental: { authInterrupts: true },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          // Nothing here uses the camera, microphone, location, payments or USB; no frame may ask.
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
        ],
      },
    ]
  },
}

export default nextConfig
