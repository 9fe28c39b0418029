import { withCors } from './cors'
import { problemResponse } from './problem'
import { requestOrigin } from './origin'

/**
 * The answer for a method a route does not take: 405 problem+json with `Allow`, rather than
 * Next's empty 405 (SPEC §7: every API answer is JSON). Exported by each route for the others.
 */
export function onlyAllow(...allowed: string[]) {
  return (request: Request): Response => {
    const response = problemResponse('METHOD_NOT_ALLOWED', { detail: `Use ${allowed.join(' or ')}.`, origin: requestOrigin(request) })
    response.headers.set('Allow', allowed.join(', '))
    return withCors(request, response)
  }
}
