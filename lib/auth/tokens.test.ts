import { generateKeyPairSync, createHmac, sign as nodeSign, type KeyObject } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signAccessToken, signRefreshToken, verifyToken, type TokenType } from './tokens'

// SPEC §2 and RFC 8725: what verifyToken accepts. The forgeries are the header tricks of JWT
// attack lists (alg confusion, embedded keys, crit/b64, kid injection) and mangled encodings.

function keyPair(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { kid, privateKey, publicKey }
}
const ours = keyPair('k1')
const stranger = keyPair('k1') // same kid, another key
const keys = { verifying: new Map<string, KeyObject>([[ours.kid, ours.publicKey]]) }
const context = { issuer: 'https://nj.example', audience: 'nj-jwt' }
const NOW = Date.parse('2026-03-01T12:00:00Z')
const options = { ...context, now: NOW, graceSeconds: 10 }

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

function claims(extra: Record<string, unknown> = {}) {
  const iat = Math.floor(NOW / 1000)
  return { iss: context.issuer, aud: context.audience, sub: 'u1', sid: 's1', jti: 'j1', iat, exp: iat + 900, type: 'access', role: 'user', permissions: ['profile:read'], ...extra }
}

/** A token signed by `key` with any header and payload we like: the attacker's tool. */
function forge(header: Record<string, unknown>, payload: unknown, key: KeyObject = ours.privateKey): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${nodeSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
}

const HEADER = { alg: 'ES256', typ: 'at+jwt', kid: 'k1' }
const verify = (token: string, type: TokenType = 'access', at = options) => verifyToken(type, token, keys, at)

describe('tokens we sign', () => {
  it('verify, with the claims we put in, for both types', async () => {
    const access = await signAccessToken({ sub: 'u1', sid: 's1', now: NOW, ttl: 900, role: 'user', permissions: ['profile:read'] }, ours, context)
    const refresh = await signRefreshToken({ sub: 'u1', sid: 's1', now: NOW, ttl: 3600 }, ours, context)
    expect(await verify(access.token)).toEqual({ ok: true, claims: access.claims })
    expect(await verify(refresh.token, 'refresh')).toEqual({ ok: true, claims: refresh.claims })
    // …and never as the other type (SPEC §2: typ and type both checked).
    expect(await verify(access.token, 'refresh')).toEqual({ ok: false, reason: 'invalid' })
    expect(await verify(refresh.token, 'access')).toEqual({ ok: false, reason: 'invalid' })
  })

  it('are tolerated AUTH_EXPIRY_GRACE past exp and expired after it', async () => {
    const { token, claims: issued } = await signAccessToken({ sub: 'u1', sid: 's1', now: NOW, ttl: 60, role: 'user', permissions: [] }, ours, context)
    expect((await verify(token, 'access', { ...options, now: issued.exp * 1000 + 9_000 })).ok).toBe(true)
    expect(await verify(token, 'access', { ...options, now: issued.exp * 1000 + 10_000 })).toEqual({ ok: false, reason: 'expired' })
  })
})

describe('forged and mangled tokens are invalid', () => {
  const genuine = forge(HEADER, claims())
  const [h, p, s] = genuine.split('.') as [string, string, string]
  const publicJwk = ours.publicKey.export({ format: 'jwk' })

  it.each<[string, string]>([
    ['alg none, no signature', `${b64({ ...HEADER, alg: 'none' })}.${p}.`],
    ['alg none with the original signature', `${b64({ ...HEADER, alg: 'none' })}.${p}.${s}`],
    ['HS256 keyed with our public key (RFC 8725 §2.1)', (() => { const input = `${b64({ ...HEADER, alg: 'HS256' })}.${p}`; return `${input}.${createHmac('sha256', JSON.stringify(publicJwk)).update(input).digest('base64url')}` })()],
    ['ES384 claimed over an ES256 signature', `${b64({ ...HEADER, alg: 'ES384' })}.${p}.${s}`],
    ['a key of the attacker embedded as jwk (CVE-2018-0114)', forge({ ...HEADER, jwk: stranger.publicKey.export({ format: 'jwk' }) }, claims(), stranger.privateKey)],
    ['a jku pointing at the attacker’s key set', forge({ ...HEADER, jku: 'https://evil.example/jwks.json' }, claims(), stranger.privateKey)],
    ['an x5u pointing at the attacker’s certificate', forge({ ...HEADER, x5u: 'https://evil.example/cert.pem' }, claims(), stranger.privateKey)],
    ['a crit extension we do not understand (RFC 7515 §4.1.11)', forge({ ...HEADER, crit: ['exp'], exp: 0 }, claims())],
    ['b64: false, an unencoded payload (RFC 7797)', forge({ ...HEADER, b64: false, crit: ['b64'] }, claims())],
    ['b64: false without crit', forge({ ...HEADER, b64: false }, claims())],
    ['a kid that walks the file system', forge({ ...HEADER, kid: '../../../../dev/null' }, claims())],
    ['a kid that names an object prototype', forge({ ...HEADER, kid: '__proto__' }, claims())],
    ['a kid that injects SQL', forge({ ...HEADER, kid: "k1' OR '1'='1" }, claims())],
    ['no kid', forge({ alg: 'ES256', typ: 'at+jwt' }, claims())],
    ['our kid on another key', forge(HEADER, claims(), stranger.privateKey)],
    ['another typ', forge({ ...HEADER, typ: 'JWT' }, claims())],
    ['no typ', forge({ alg: 'ES256', kid: 'k1' }, claims())],
    ['a payload changed after signing', `${h}.${b64(claims({ role: 'admin', permissions: ['users:write'] }))}.${s}`],
    ['a header changed after signing', `${b64({ ...HEADER, extra: 1 })}.${p}.${s}`],
    ['a flipped signature bit', `${h}.${p}.${Buffer.from(Buffer.from(s, 'base64url').map((byte, i) => (i === 10 ? byte ^ 1 : byte))).toString('base64url')}`],
    ['a DER-encoded signature', (() => { const input = `${h}.${p}`; return `${input}.${nodeSign('sha256', Buffer.from(input), ours.privateKey).toString('base64url')}` })()],
    ['a truncated signature', `${h}.${p}.${s.slice(0, -4)}`],
    ['no signature', `${h}.${p}.`],
    ['two segments', `${h}.${p}`],
    ['four segments', `${genuine}.${s}`],
    ['base64 padding', `${h}.${p}.${s}==`],
    ['standard base64 characters', `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}+`],
    ['whitespace inside', `${h}. ${p}.${s}`],
    ['a JSON array payload', forge(HEADER, [claims()])],
    ['a JSON string payload', forge(HEADER, 'hello')],
    ['a payload that is not JSON', forge(HEADER, '{"sub":')],
    ['a header that is not JSON', `${b64('{alg:ES256}')}.${p}.${s}`],
    ['another issuer', forge(HEADER, claims({ iss: 'https://evil.example' }))],
    ['another audience', forge(HEADER, claims({ aud: 'someone-else' }))],
    ['another type claim', forge(HEADER, claims({ type: 'refresh' }))],
    ['exp as a string', forge(HEADER, claims({ exp: String(Math.floor(NOW / 1000) + 900) }))],
    ['no exp', forge(HEADER, claims({ exp: undefined }))],
    ['no sid', forge(HEADER, claims({ sid: undefined }))],
    ['permissions that are not strings', forge(HEADER, claims({ permissions: [{ all: true }] }))],
    ['not valid before an hour from now', forge(HEADER, claims({ nbf: Math.floor(NOW / 1000) + 3600 }))],
    ['an expired token with another audience (invalid wins over expired)', forge(HEADER, claims({ aud: 'x', exp: Math.floor(NOW / 1000) - 3600 }))],
    ['a huge token', forge(HEADER, claims({ pad: 'x'.repeat(5000) }))],
    ['an empty string', ''],
  ])('%s', async (_name, token) => {
    expect(await verify(token)).toEqual({ ok: false, reason: 'invalid' })
  })

  it('accepts an audience array that names us (RFC 7519 §4.1.3)', async () => {
    expect((await verify(forge(HEADER, claims({ aud: ['other', context.audience] })))).ok).toBe(true)
  })
})
