import type { Metadata } from 'next'
import Link from 'next/link'
import { ERRORS, type ErrorCode } from '@/lib/shared/error-codes'

export const metadata: Metadata = { title: 'Error codes' }

const CODES = Object.keys(ERRORS) as ErrorCode[]

export default function ErrorIndexPage() {
  return (
    <div className="stack">
      <div>
        <h1>Error codes</h1>
        <p>
          Every API error is an RFC 9457 <code>application/problem+json</code> body whose <code>code</code> is one of
          these, and whose <code>type</code> links to the page explaining it.
        </p>
      </div>
      <ul className="code-list card">
        {CODES.map((code) => (
          <li key={code}>
            <Link href={`/errors/${code}`}>
              <code>{code}</code>
            </Link>
            <span className="badge">{ERRORS[code].status}</span>
            <span>{ERRORS[code].title}</span>
          </li>
        ))}
      </ul>
    </div>
  )
}
