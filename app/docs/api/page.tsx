import type { Metadata } from 'next'
import Link from 'next/link'
import { ApiReference } from '@/components/docs/api-reference'

export const metadata: Metadata = { title: 'API reference' }

// SPEC §7: the interactive reference of GET /api/openapi.json (Scalar, bundled from npm and served
// from this origin under the page's CSP nonce: docs/decisions/027-openapi.md).
export default function ApiReferencePage() {
  return (
    <div className="stack">
      <div>
        <h1>API reference</h1>
        <p>
          Every endpoint of the API, its bodies, answers and error codes, generated from the schemas the route handlers
          check. The document itself is <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1); error codes are
          explained on <Link href="/errors">their own pages</Link>.
        </p>
      </div>
      <ApiReference />
    </div>
  )
}
