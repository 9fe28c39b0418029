import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { gzipSync } from 'node:zlib'

// The JavaScript a browser downloads to show a page for the first time, from the build output:
// the root main files every page loads (build-manifest.json; the nomodule polyfills are left
// out, no modern browser fetches them) and the entry chunks of the page's segments (its client
// reference manifest), each file once, gzipped with node:zlib at level 9.

const PAGES = { '/login': '(auth)/login', '/dashboard': '(app)/dashboard' }

function entryChunks(buildDir, segment) {
  const file = path.join(buildDir, '.next/server/app', segment, 'page_client-reference-manifest.js')
  const context = { globalThis: {} }
  vm.runInNewContext(readFileSync(file, 'utf8'), context)
  const manifest = Object.values(context.globalThis.__RSC_MANIFEST ?? context.__RSC_MANIFEST ?? {})[0]
  if (!manifest?.entryJSFiles) throw new Error(`first-load: no entryJSFiles in ${file}`)
  return Object.values(manifest.entryJSFiles).flat()
}

export function measureFirstLoad(buildDir) {
  const { rootMainFiles } = JSON.parse(readFileSync(path.join(buildDir, '.next/build-manifest.json'), 'utf8'))
  const pages = {}
  for (const [route, segment] of Object.entries(PAGES)) {
    const files = [...new Set([...rootMainFiles, ...entryChunks(buildDir, segment)])].filter((f) => f.endsWith('.js'))
    let raw = 0
    let gzip = 0
    for (const file of files) {
      const full = path.join(buildDir, '.next', file)
      if (!existsSync(full)) throw new Error(`first-load: ${file} is not in the build`)
      const bytes = readFileSync(full)
      raw += bytes.length
      gzip += gzipSync(bytes, { level: 9 }).length
    }
    pages[route] = { files: files.length, rawKiB: raw / 1024, gzipKiB: gzip / 1024 }
  }
  return pages
}
