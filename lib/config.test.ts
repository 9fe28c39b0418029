import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseDuration } from './config'

describe('durations (SPEC §1)', () => {
  it.each([
    ['30s', 30],
    ['15m', 900],
    ['12h', 43200],
    ['7d', 604800],
    ['45', 45],
    [' 5s ', 5],
  ])('%s is %i seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds)
  })

  it.each(['', '5w', '-5s', '1.5m', 'soon', '5 minutes', '99999999999999999999d'])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeNull()
  })

  it('a bad duration names the variable', () => {
    expect(() => loadConfig({ AUTH_ACCESS_TTL: 'soon' })).toThrow(/AUTH_ACCESS_TTL/)
  })
})

describe('defaults', () => {
  it('match the SPEC', () => {
    const config = loadConfig({})
    expect(config.ttl).toEqual({
      access: 900,
      refresh: 604800,
      sessionMaxAge: 2592000,
      browserSessionMaxAge: 43200,
      expiryGrace: 10,
      reuseGrace: 10,
      refreshWindow: 120,
      refreshMinInterval: 30,
      proactiveRefresh: 60,
      warningBefore: 120,
    })
    expect(config.limits).toEqual({ refreshPerIp: 60, loginFailures: 5, loginPerIp: 100, registerPerIp: 10 })
    expect(config.policy).toEqual({ userAgent: 'block', ip: 'flag', trustProxy: false })
    expect(config.database).toEqual({ kind: 'pglite', dir: '.data/pglite' })
    expect(config.kv).toEqual({ kind: 'memory' })
    expect(config.seedDemoUsers).toBe(true)
  })

  it('prefers DATABASE_URL over POSTGRES_URL and reads either pair of KV variables', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://a/1', POSTGRES_URL: 'postgres://b/2' }).database).toEqual({ kind: 'postgres', url: 'postgres://a/1' })
    expect(loadConfig({ POSTGRES_URL: 'postgres://b/2' }).database).toEqual({ kind: 'postgres', url: 'postgres://b/2' })
    expect(loadConfig({ UPSTASH_REDIS_REST_URL: 'https://u', UPSTASH_REDIS_REST_TOKEN: 't' }).kv).toEqual({ kind: 'upstash', url: 'https://u', token: 't' })
    expect(loadConfig({ KV_REST_API_URL: 'https://k', KV_REST_API_TOKEN: 't2' }).kv).toEqual({ kind: 'upstash', url: 'https://k', token: 't2' })
  })

  it('puts the KV on Redis over TCP with REDIS_URL, after the Upstash REST variables and before the in-process default', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379' }).kv).toEqual({ kind: 'redis', url: 'redis://cache:6379' })
    expect(loadConfig({ REDIS_URL: 'rediss://u:p@cache:6380/1' }).kv).toEqual({ kind: 'redis', url: 'rediss://u:p@cache:6380/1' })
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379', KV_REST_API_URL: 'https://k', KV_REST_API_TOKEN: 't' }).kv).toEqual({ kind: 'upstash', url: 'https://k', token: 't' })
    expect(loadConfig({ REDIS_URL: '' }).kv).toEqual({ kind: 'memory' })
    expect(() => loadConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(/REDIS_URL/)
  })

  it('never seeds demo users into a real database unless SEED_DEMO_USERS=1', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://a/1' }).seedDemoUsers).toBe(false)
    expect(loadConfig({ DATABASE_URL: 'postgres://a/1', SEED_DEMO_USERS: '1' }).seedDemoUsers).toBe(true)
  })

  it('lower-cases AUTH_ADMIN_EMAILS', () => {
    expect(loadConfig({ AUTH_ADMIN_EMAILS: ' Boss@Example.com, ops@example.com ,' }).adminEmails).toEqual(['boss@example.com', 'ops@example.com'])
  })
})

describe('on Vercel', () => {
  const complete = { VERCEL: '1', DATABASE_URL: 'postgres://db/x', KV_REST_API_URL: 'https://kv', KV_REST_API_TOKEN: 't', AUTH_SIGNING_KEYS: '[{}]' }

  it('starts with a database, a KV and signing keys', () => {
    expect(loadConfig(complete).onVercel).toBe(true)
    // Vercel's Redis integration sets REDIS_URL instead of the REST variables.
    expect(loadConfig({ ...complete, KV_REST_API_URL: undefined, KV_REST_API_TOKEN: undefined, REDIS_URL: 'rediss://default:x@redis.example:6379' }).kv.kind).toBe('redis')
  })

  it.each([
    ['DATABASE_URL', { DATABASE_URL: undefined }],
    ['KV_REST_API_URL', { KV_REST_API_URL: undefined }],
    ['AUTH_SIGNING_KEYS', { AUTH_SIGNING_KEYS: undefined }],
  ])('refuses to fall back to embedded storage without %s, naming it', (name, missing) => {
    const attempt = () => loadConfig({ ...complete, ...missing })
    expect(attempt).toThrow(ConfigError)
    expect(attempt).toThrow(name)
  })
})
