import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { Fragment } from 'react'
import { ERRORS, isErrorCode } from '@/lib/shared/error-codes'

// Typed by hand, not with the generated PageProps, so `tsc` passes before any `next build`.
type ErrorCodePageProps = { params: Promise<{ code: string }> }

// Only the codes there are. Otherwise every unknown code (`/errors/anything`, `/errors/%00`) was
// rendered on demand and written to the ISR cache on disk: a file per URL anyone may invent (CWE-400).
export const dynamicParams = false

export function generateStaticParams() {
  return Object.keys(ERRORS).map((code) => ({ code }))
}

export async function generateMetadata({ params }: ErrorCodePageProps): Promise<Metadata> {
  const { code } = await params
  return { title: isErrorCode(code) ? ERRORS[code].title : 'Unknown error code' }
}

/** The explanations mark code with backticks, as Markdown does. */
function WithCode({ text }: { text: string }) {
  return text.split('`').map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : <Fragment key={index}>{part}</Fragment>))
}

export default async function ErrorCodePage({ params }: ErrorCodePageProps) {
  const { code } = await params
  if (!isErrorCode(code)) notFound()
  const error = ERRORS[code]
  return (
    <div className="narrow stack">
      <p className="small">
        <Link href="/errors">← All error codes</Link>
      </p>
      <div>
        <h1>{error.title}</h1>
        <p className="actions">
          <code>{code}</code>
          <span className="badge">HTTP {error.status}</span>
        </p>
      </div>
      <div className="card">
        <p>
          <WithCode text={error.explain} />
        </p>
      </div>
    </div>
  )
}
