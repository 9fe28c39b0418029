import type { Metadata, Viewport } from 'next'
import { headers } from 'next/headers'
import Link from 'next/link'
import { SessionClientProvider } from '@/components/session/session-client-provider'
import { THEME_SCRIPT } from '@/components/ui/theme'
import { ThemeToggle } from '@/components/ui/theme-toggle'
import { getCurrentUser } from '@/lib/auth/current-user'
import { pageAccessToken } from '@/lib/http/auth-edge'
import { NONCE_HEADER } from '@/lib/http/security-headers'
import './globals.css'

export const metadata: Metadata = {
  title: { template: '%s · NJ-JWT', default: 'NJ-JWT' },
  description: 'Sign-in with short-lived JWT access tokens and rotating refresh tokens.',
}

export const viewport: Viewport = {
  colorScheme: 'light dark',
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The gate's per-request CSP nonce (lib/http/security-headers.ts): the one inline script carries it.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined
  // Admins find Admin and Activity in the header, not only in the account menu. The same verified
  // look-up as the page's own (React cache: once per request); the pages still check for themselves.
  const permissions = (await getCurrentUser(await pageAccessToken()))?.user.permissions ?? []
  return (
    // suppressHydrationWarning: the theme script sets data-theme on <html> before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Before the first paint, so a remembered dark (or light) choice never flashes. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        {/* The page's session client: signed-in pages keep the session, sign-in forms tell the other tabs. */}
        <SessionClientProvider>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="site-header">
            <div className="site-header-inner">
              <Link href="/" className="brand">
                NJ-JWT
              </Link>
              <nav className="site-nav" aria-label="Main">
                <ul>
                  <li>
                    <Link href="/dashboard">Dashboard</Link>
                  </li>
                  <li>
                    <Link href="/sessions">Sessions</Link>
                  </li>
                  {permissions.includes('users:read') ? (
                    <li>
                      <Link href="/admin">Admin</Link>
                    </li>
                  ) : null}
                  {permissions.includes('audit:read') ? (
                    <li>
                      <Link href="/admin/activity">Activity</Link>
                    </li>
                  ) : null}
                  <li>
                    <Link href="/errors">Error codes</Link>
                  </li>
                  <li>
                    <Link href="/docs/api">API</Link>
                  </li>
                </ul>
              </nav>
              <ThemeToggle />
            </div>
          </header>
          <main id="main" className="site-main">
            {children}
          </main>
          <footer className="site-footer">
            <p>NJ-JWT · JWT access tokens with refresh-token rotation, on Next.js.</p>
          </footer>
        </SessionClientProvider>
      </body>
    </html>
  )
}
