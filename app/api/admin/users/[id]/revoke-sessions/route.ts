import { signOutEverywhere } from '@/lib/auth/admin'
import { requireAuthForChange } from '@/lib/auth/current-user'
import { readClientInfo } from '@/lib/http/client-info'
import { jsonResponse, route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

type Context = { params: Promise<{ id: string }> }

export const POST = route<Context>(async (request, { params }) => {
  const { claims } = await requireAuthForChange(request, 'users:write')
  const revoked = await signOutEverywhere({ userId: claims.sub, client: readClientInfo(request.headers) }, (await params).id, Date.now())
  return jsonResponse({ revoked })
})

const notAllowed = onlyAllow('POST')
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
