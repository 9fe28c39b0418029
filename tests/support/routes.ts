import { readdirSync } from 'node:fs'
import path from 'node:path'
import { autoImplementMethods } from 'next/dist/server/route-modules/app-route/helpers/auto-implement-methods'
import { normalizeAppPath } from 'next/dist/shared/lib/router/utils/app-paths'
import { getRouteMatcher } from 'next/dist/shared/lib/router/utils/route-matcher'
import { getRouteRegex } from 'next/dist/shared/lib/router/utils/route-regex'
import { getSortedRoutes } from 'next/dist/shared/lib/router/utils/sorted-routes'
import type { Params } from 'next/dist/server/request/params'

// The app's route handlers as Next's App Router finds and matches them: every `route.ts` under
// app/ (route groups and @slots dropped, `_private` folders skipped), ordered and matched with
// Next's own router utilities (the ones its filesystem router uses: static before `[id]` before
// `[...path]`, params decoded per segment). Nothing to keep in step when a route is added.

export const APP_DIR = path.resolve(import.meta.dirname, '../../app')

// Next's default pageExtensions (next.config.ts sets none).
const ROUTE_FILE = /(^|\/)route\.(ts|tsx|js|jsx)$/

type Handler = (request: Request, context: { params: Promise<Params> }) => Response | Promise<Response>
export type RouteModule = Record<string, unknown>

export type AppRoute = {
  /** The URL pattern, as Next writes it: `/api/auth/sessions/[id]`. */
  pattern: string
  /** The file, relative to the repository: `app/api/auth/sessions/[id]/route.ts`. */
  file: string
  load(): Promise<RouteModule>
  match(pathname: string): Params | false
}

/** The route handlers under `appDir`, most specific pattern first (the order Next tries them in). */
export function discoverRoutes(appDir: string): AppRoute[] {
  const files = (readdirSync(appDir, { recursive: true, encoding: 'utf8' }) as string[])
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => ROUTE_FILE.test(file) && !file.split('/').some((segment) => segment.startsWith('_')))
  const byPattern = new Map<string, string>()
  for (const file of files) {
    const pattern = normalizeAppPath(`/${file.replace(/\.\w+$/, '')}`)
    const other = byPattern.get(pattern)
    if (other) throw new Error(`${other} and ${file} both answer ${pattern}`) // Next refuses to build this too
    byPattern.set(pattern, file)
  }
  return getSortedRoutes([...byPattern.keys()]).map((pattern) => {
    const file = byPattern.get(pattern)!
    const matcher = getRouteMatcher(getRouteRegex(pattern))
    let loaded: Promise<RouteModule> | undefined
    return {
      pattern,
      file: path.relative(path.dirname(appDir), path.join(appDir, file)),
      // Imported when first asked for, through the test runner (aliases, mocks), then kept.
      load: () => (loaded ??= import(/* @vite-ignore */ path.join(appDir, file)) as Promise<RouteModule>),
      match: (pathname) => matcher(pathname),
    }
  })
}

/** Every route handler of the app. */
export const APP_ROUTES: readonly AppRoute[] = discoverRoutes(APP_DIR)

/**
 * The route Next would run for `pathname` and its decoded params, or null. Throws Next's
 * DecodeError for a param that is not valid percent-encoding (Next answers that 400).
 */
export function findRoute(pathname: string, routes: readonly AppRoute[] = APP_ROUTES): { route: AppRoute; params: Params } | null {
  for (const route of routes) {
    const params = route.match(pathname)
    if (params) return { route, params }
  }
  return null
}

/** The handler Next runs for `method`: the module's export, GET for HEAD, an automatic OPTIONS, else a bare 405. */
export async function handlerFor(route: AppRoute, method: string): Promise<Handler | undefined> {
  const handlers = autoImplementMethods((await route.load()) as Parameters<typeof autoImplementMethods>[0]) as Record<string, unknown>
  return handlers[method] as Handler | undefined
}
