import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { TestClient, dispatch, expectProblem } from './client'
import { setupTestApp } from './harness'
import { APP_DIR, APP_ROUTES, discoverRoutes, findRoute } from './routes'

// The test client reaches every route handler in app/, found the way Next finds them, and each
// answers the methods SPEC §7 gives it (a 405 problem+json with Allow for the others).
setupTestApp()

// SPEC §7's table. `{id}` stands for any id.
const DOCUMENTED: Record<string, string[]> = {
  '/api/auth/register': ['POST'],
  '/api/auth/login': ['POST'],
  '/api/auth/refresh': ['POST'],
  '/api/auth/logout': ['POST'],
  '/api/auth/session': ['GET'],
  '/api/auth/password': ['POST'],
  '/api/auth/sessions': ['GET'],
  '/api/auth/sessions/{id}': ['DELETE'],
  '/api/auth/sessions/revoke-others': ['POST'],
  '/api/me': ['GET'],
  '/api/admin/users': ['GET'],
  '/api/admin/users/{id}': ['PATCH'],
  '/api/admin/users/{id}/revoke-sessions': ['POST'],
  '/api/admin/audit': ['GET'],
  '/api/auth/session/timeline': ['GET'],
  '/api/admin/activity': ['GET'],
  '/api/openapi.json': ['GET'],
  '/.well-known/jwks.json': ['GET'],
}
// In the table, being built alongside: checked once their route file exists.
const NOT_BUILT_YET = new Set<string>()

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
const CATCH_ALL = '/api/[...path]'

/** A path the pattern matches: dynamic segments filled in. */
function samplePath(pattern: string): string {
  return pattern.replace(/\[\[?\.\.\.\w+\]\]?/g, 'some/where').replace(/\[\w+\]|\{\w+\}/g, '0190a0b0-0000-7000-8000-000000000000')
}

describe('every route file under app/ is reachable through the test client', () => {
  it('finds them all, the .well-known one and the /api catch-all included', () => {
    const onDisk = (readdirSync(APP_DIR, { recursive: true, encoding: 'utf8' }) as string[]).filter((file) => path.basename(file) === 'route.ts').map((file) => `app/${file}`)
    expect(APP_ROUTES.map((route) => route.file).sort()).toEqual(onDisk.sort())
    expect(onDisk).toEqual(expect.arrayContaining(['app/.well-known/jwks.json/route.ts', 'app/api/[...path]/route.ts', 'app/api/auth/session/timeline/route.ts']))
  })

  it.each(APP_ROUTES.map((route) => [route.file, route] as const))('%s answers its own paths (no other route shadows it)', (_file, route) => {
    expect(findRoute(samplePath(route.pattern))?.route).toBe(route)
  })

  it.each(APP_ROUTES.filter((route) => route.pattern !== CATCH_ALL).map((route) => [route.pattern] as const))('%s is in SPEC §7', (pattern) => {
    const documented = Object.keys(DOCUMENTED).filter((spec) => findRoute(samplePath(spec))?.route.pattern === pattern)
    expect(documented, `${pattern} is not an endpoint of SPEC §7`).toHaveLength(1)
  })
})

describe('each endpoint of SPEC §7 answers its methods, and 405 the others', () => {
  for (const [spec, methods] of Object.entries(DOCUMENTED)) {
    const route = findRoute(samplePath(spec))?.route
    const pending = NOT_BUILT_YET.has(spec) && (!route || route.pattern === CATCH_ALL)
    it.skipIf(pending)(`${methods.join(', ')} ${spec}${pending ? ' (not built yet)' : ''}`, async () => {
      expect(route?.pattern, `no route handler for ${spec}`).not.toBe(CATCH_ALL)
      for (const method of METHODS) {
        // Signed out, no body: enough to see which handler answers, never a 500.
        const response = await new TestClient().call(method, samplePath(spec))
        expect(response.status, `${method} ${spec}`).toBeLessThan(500)
        if (methods.includes(method)) {
          expect(response.status, `${method} ${spec}`).not.toBe(405)
          expect(response.headers.get('content-type'), `${method} ${spec}`).toMatch(/^application\/(problem\+)?json/)
        } else {
          await expectProblem(response, 405, 'METHOD_NOT_ALLOWED')
          expect(response.headers.get('allow')?.split(/,\s*/).sort(), `Allow of ${spec}`).toEqual([...methods].sort())
        }
      }
    })
  }

  it('any other /api path is a 404 NOT_FOUND problem, whatever the method', async () => {
    for (const method of METHODS) {
      for (const path of ['/api/nowhere', '/api/auth/nowhere', '/api/me/more', '/api/auth/sessions/0190a0b0-0000-7000-8000-000000000000/more']) {
        await expectProblem(await new TestClient().call(method, path), 404, 'NOT_FOUND')
      }
    }
  })
})

describe('matching as Next does', () => {
  it('a static segment beats a dynamic one, and a dynamic one the catch-all', () => {
    expect(findRoute('/api/auth/sessions/revoke-others')?.route.pattern).toBe('/api/auth/sessions/revoke-others')
    expect(findRoute('/api/auth/sessions/abc')).toMatchObject({ route: { pattern: '/api/auth/sessions/[id]' }, params: { id: 'abc' } })
    expect(findRoute('/api/admin/users/abc/revoke-sessions')).toMatchObject({ route: { pattern: '/api/admin/users/[id]/revoke-sessions' }, params: { id: 'abc' } })
    expect(findRoute('/api/auth/nowhere')).toMatchObject({ route: { pattern: CATCH_ALL }, params: { path: ['auth', 'nowhere'] } })
  })

  it('decodes each param segment; a catch-all param is the list of segments', () => {
    expect(findRoute('/api/auth/sessions/a%20b%2Fc')?.params).toEqual({ id: 'a b/c' })
    expect(findRoute('/api/x%2Fy/z')?.params).toEqual({ path: ['x/y', 'z'] })
  })

  it('static segments are compared as sent, not decoded', () => {
    expect(findRoute('/api/m%65')?.route.pattern).toBe(CATCH_ALL)
    expect(findRoute('/.well-known/jwksXjson')).toBeNull()
  })

  it('pages are not route handlers: no match', () => {
    expect(findRoute('/dashboard')).toBeNull()
    expect(findRoute('/')).toBeNull()
  })

  it('an undecodable param is a 400 before any handler runs, as in Next', async () => {
    expect((await dispatch(new Request('http://localhost:3000/api/auth/sessions/%C0%AF', { method: 'DELETE' }))).status).toBe(400)
  })

  it('HEAD runs GET and OPTIONS is answered with Allow, as Next implements them', async () => {
    const head = await dispatch(new Request('http://localhost:3000/.well-known/jwks.json', { method: 'HEAD' }))
    expect(head.status).toBe(200)
    const options = await dispatch(new Request('http://localhost:3000/api/auth/login', { method: 'OPTIONS' }))
    expect(options.status).toBe(204)
    expect(options.headers.get('allow')).toContain('POST')
  })
})

describe('discovery of a folder tree', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'njjwt-routes-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const tree = (files: string[]) => {
    const root = mkdtempSync(path.join(dir, 'app-'))
    for (const file of files) {
      mkdirSync(path.join(root, path.dirname(file)), { recursive: true })
      writeFileSync(path.join(root, file), 'export {}\n')
    }
    return discoverRoutes(root)
  }

  it('drops route groups and @slots, skips _private folders and ignores pages', () => {
    const routes = tree(['(shop)/items/[id]/route.ts', '@modal/help/route.ts', '_lib/route.ts', 'about/page.tsx', 'docs/[[...slug]]/route.js'])
    expect(routes.map((route) => route.pattern).sort()).toEqual(['/docs/[[...slug]]', '/help', '/items/[id]'])
    expect(findRoute('/items/7', routes)?.params).toEqual({ id: '7' })
    expect(findRoute('/docs', routes)?.params).toEqual({})
    expect(findRoute('/docs/a/b', routes)?.params).toEqual({ slug: ['a', 'b'] })
  })

  it('orders static, then dynamic, then catch-all, whatever the folder order', () => {
    const routes = tree(['x/[...rest]/route.ts', 'x/[id]/route.ts', 'x/new/route.ts'])
    expect(routes.map((route) => route.pattern)).toEqual(['/x/new', '/x/[id]', '/x/[...rest]'])
    expect(findRoute('/x/new', routes)?.route.pattern).toBe('/x/new')
    expect(findRoute('/x/1', routes)?.route.pattern).toBe('/x/[id]')
    expect(findRoute('/x/1/2', routes)?.route.pattern).toBe('/x/[...rest]')
  })

  it('refuses two folders that answer the same path, as Next’s build does', () => {
    expect(() => tree(['(a)/same/route.ts', '(b)/same/route.ts'])).toThrow(/both answer \/same/)
  })
})
