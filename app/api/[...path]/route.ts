import { withCors } from '@/lib/http/cors'
import { requestOrigin } from '@/lib/http/origin'
import { problemResponse } from '@/lib/http/problem'

// Unknown /api/* paths answer problem+json, never Next's HTML 404 page.
function notFound(request: Request): Response {
  return withCors(request, problemResponse('NOT_FOUND', { detail: `No API at ${new URL(request.url).pathname}.`, origin: requestOrigin(request) }))
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE }
