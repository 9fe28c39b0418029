import { notFound } from 'next/navigation'
import { connection } from 'next/server'

// The gate rewrites paths that name nothing (a malformed %-escape) to here; notFound() renders
// app/not-found.tsx with HTTP status 404. Rendered per request: a prerendered page would answer
// other methods than GET with an empty 405 instead of the 404 page.
export default async function NotFoundRoute(): Promise<never> {
  await connection()
  notFound()
}
