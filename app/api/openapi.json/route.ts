import { onlyAllow } from '@/lib/http/methods'
import { openApiDocument } from '@/lib/http/openapi'
import { route } from '@/lib/http/problem'

// SPEC §7: the OpenAPI 3.1 document, public and the same for everyone (no cookie read or set), so
// any cache may keep it for a while. The gate lets it through unauthenticated (proxy.ts PUBLIC_APIS).
export const GET = route(async () => {
  return new Response(JSON.stringify(openApiDocument()), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' },
  })
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
