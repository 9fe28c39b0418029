import { decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { generateSigningJwk, getKeySet, importKeySet } from '@/lib/auth/keys'
import { signAccessToken } from '@/lib/auth/tokens'
import { BearerClient, dispatch, json } from './support/client'
import { createUser, setupTestApp } from './support/harness'

// SPEC §2: the first key of AUTH_SIGNING_KEYS signs, all verify; the JWKS lists them all.
const [newKey, oldKey] = [await generateSigningJwk(), await generateSigningJwk()]
const app = setupTestApp({ AUTH_SIGNING_KEYS: JSON.stringify([newKey, oldKey]) })

describe('key rotation', () => {
  it('signs with the first key, still accepts tokens of the second, and publishes both', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient()
    await cli.login(user.email, user.password)
    expect(decodeProtectedHeader(cli.accessToken).kid).toBe(newKey.kid)

    const old = await importKeySet([oldKey])
    const { token } = await signAccessToken(
      { sub: user.id, sid: decodeJwtSid(cli.accessToken), now: Date.now(), ttl: 60, role: 'user', permissions: ['profile:read'] },
      old.signing,
      { issuer: 'nj-jwt', audience: 'nj-jwt' },
    )
    expect((await cli.get('/api/me', token)).status).toBe(200)

    const jwks = await json<{ keys: Array<{ kid: string; d?: string }> }>(await dispatch(new Request('http://localhost:3000/.well-known/jwks.json')))
    expect(jwks.keys.map((k) => k.kid)).toEqual([newKey.kid, oldKey.kid])
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true)
  })

  it('refuses a token signed by a key that is not configured', async () => {
    const user = await createUser(app.db)
    const cli = new BearerClient()
    await cli.login(user.email, user.password)
    const stranger = await importKeySet([await generateSigningJwk()])
    const { token } = await signAccessToken({ sub: user.id, sid: decodeJwtSid(cli.accessToken), now: Date.now(), ttl: 60, role: 'admin', permissions: ['users:write'] }, stranger.signing, { issuer: 'nj-jwt', audience: 'nj-jwt' })
    expect((await json(await cli.get('/api/me', token))).code).toBe('ACCESS_TOKEN_INVALID')
  })

  it('rejects public-only or non-P-256 keys with a message naming the variable', async () => {
    const { d: _d, ...publicOnly } = newKey
    await expect(importKeySet([publicOnly])).rejects.toThrow(/AUTH_SIGNING_KEYS/)
    await expect(importKeySet([{ ...newKey, crv: 'P-384' }])).rejects.toThrow(/AUTH_SIGNING_KEYS/)
    expect((await getKeySet()).signing.kid).toBe(newKey.kid)
  })
})

function decodeJwtSid(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid
}
