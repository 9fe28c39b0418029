import { afterEach, describe, expect, it } from 'vitest'
import { configureForTests } from '@/tests/support/seams'
import { PEER_HEADER, clientIp, deviceLabel } from './client-info'

// SPEC §5: which client address is trusted where (docs/decisions/008).
const spoofed = { 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.7', 'x-vercel-forwarded-for': '6.6.6.8' }

describe('client IP', () => {
  afterEach(() => configureForTests())

  it('self-hosted without a trusted proxy: the socket address; a spoofed X-Forwarded-For is ignored', () => {
    configureForTests({ AUTH_TRUST_PROXY: '', VERCEL: '' })
    expect(clientIp(new Headers({ ...spoofed, [PEER_HEADER]: '::ffff:192.0.2.10' }))).toBe('192.0.2.10')
  })

  it('behind a trusted proxy: the last X-Forwarded-For hop, the one the proxy appended', () => {
    configureForTests({ AUTH_TRUST_PROXY: '1', VERCEL: '' })
    expect(clientIp(new Headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.4', [PEER_HEADER]: '10.0.0.2' }))).toBe('198.51.100.4')
  })

  it('on Vercel: the platform header, not what the client wrote into X-Forwarded-For', () => {
    configureForTests({ VERCEL: '1', DATABASE_URL: 'postgres://x/y', KV_REST_API_URL: 'https://kv', KV_REST_API_TOKEN: 't', AUTH_SIGNING_KEYS: '[]' })
    expect(clientIp(new Headers({ 'x-forwarded-for': '6.6.6.6', 'x-vercel-forwarded-for': '203.0.113.9' }))).toBe('203.0.113.9')
  })

  it('garbage is no address', () => {
    configureForTests({ AUTH_TRUST_PROXY: '1', VERCEL: '' })
    expect(clientIp(new Headers({ 'x-forwarded-for': '<script>' }))).toBeNull()
  })
})

describe('device label', () => {
  it.each([
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36', 'Chrome on macOS'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36 Edg/130.0', 'Edge on Windows'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1', 'Safari on iOS'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Linux'],
    ['curl/8.5.0', 'curl'],
    [null, 'Unknown device'],
  ])('%s → %s', (ua, label) => {
    expect(deviceLabel(ua)).toBe(label)
  })
})
