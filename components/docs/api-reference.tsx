'use client'

import '@scalar/api-reference-react/style.css'
import dynamic from 'next/dynamic'
import { z } from 'zod'

// zod (which Scalar parses its configuration with) first probes whether `new Function` works, to
// compile fast parsers; under our CSP (no 'unsafe-eval') that probe is a reported violation.
// Jitless, zod never probes. Set before Scalar's chunk loads, on the one zod copy the app bundles.
z.config({ jitless: true })

// Scalar mounts a Vue app into the page: browser-only, so it is not rendered on the server. It is
// bundled with the app (no CDN): Next's chunks carry the page's nonce, and 'strict-dynamic' lets
// them load the rest. Nothing leaves this origin: no web fonts, no telemetry, no AI agent, no MCP,
// no request proxy (the "try it" client calls this site directly, with the browser's own cookies).
const ApiReferenceReact = dynamic(() => import('@scalar/api-reference-react').then((m) => m.ApiReferenceReact), {
  ssr: false,
  loading: () => <p role="status">Loading the API reference…</p>,
})

const CONFIGURATION = {
  url: '/api/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: 'never',
  documentDownloadType: 'json',
  hideDarkModeToggle: true,
  forceDarkModeState: 'light',
  // A small API: every group open, so each operation is listed in the sidebar at once.
  defaultOpenAllTags: true,
} as const

export function ApiReference() {
  return (
    <div className="api-reference">
      <ApiReferenceReact configuration={CONFIGURATION} />
    </div>
  )
}
