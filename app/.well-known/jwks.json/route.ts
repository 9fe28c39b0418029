import { getKeySet } from '@/lib/auth/keys'
import { route } from '@/lib/http/problem'
import { onlyAllow } from '@/lib/http/methods'

// Public verification keys (SPEC §2). Rotation: every configured key is listed while it verifies.
export const GET = route(async () => {
  const { publicJwks } = await getKeySet()
  return new Response(JSON.stringify({ keys: publicJwks }), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' },
  })
})

const notAllowed = onlyAllow('GET')
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE }
