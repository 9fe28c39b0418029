import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refuseUnservableMethods, SERVED_METHODS } from './unservable-methods'

// SPEC §7 "never a 500 for bad input; every API answer JSON": a method Next cannot serve is
// answered 405 problem+json by the server itself (TRACE used to be a 500, PROPFIND a bare 400).
describe('methods Next does not serve', () => {
  let server: http.Server
  let port: number
  beforeAll(async () => {
    refuseUnservableMethods()
    server = http.createServer((_request, response) => response.end('served'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  const send = (method: string, body?: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      // Content-Length named: Node's client frames no body of a TRACE by itself.
      const headers = body === undefined ? {} : { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }
      const request = http.request({ host: '127.0.0.1', port, method, path: '/api/auth/login', headers }, (response) => {
        let text = ''
        response.setEncoding('utf8').on('data', (chunk) => (text += chunk))
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text }))
      })
      request.on('error', reject)
      request.end(body)
    })

  it.each(['TRACE', 'PROPFIND', 'MKCOL', 'REPORT', 'PURGE'])('%s is 405 problem+json with Allow', async (method) => {
    const answer = await send(method, '<?xml version="1.0"?><propfind/>')
    expect(answer.status).toBe(405)
    expect(answer.headers['content-type']).toBe('application/problem+json')
    expect(answer.headers.allow).toBe(SERVED_METHODS.join(', '))
    expect(JSON.parse(answer.text)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED', title: 'Method not allowed' })
  })

  it.each(SERVED_METHODS.filter((method) => method !== 'HEAD'))('%s still reaches the app', async (method) => {
    expect(await send(method)).toMatchObject({ status: 200, text: 'served' })
  })
})
