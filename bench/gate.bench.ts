import { NextRequest } from 'next/server'
import { bench, describe } from 'vitest'
import { authenticateAccessToken } from '@/lib/auth/access'
import { refreshSession } from '@/lib/auth/refresh'
import { readClientInfo } from '@/lib/http/client-info'
import { proxy } from '@/proxy'
import { BearerClient, ORIGIN } from '../tests/support/client'
import { createUser, setupTestApp } from '../tests/support/harness'

// `npm run bench`: what the gate costs per request, and a refresh rotation end to end.
// Embedded default (in-process KV, PGlite) unless DATABASE_URL / REDIS_URL are set.
const app = setupTestApp({ AUTH_REFRESH_MIN_INTERVAL: '0s', AUTH_REUSE_GRACE: '0s' })
let client: BearerClient
let ready: Promise<void> | undefined

function signIn() {
  ready ??= (async () => {
    const user = await createUser(app.db)
    client = new BearerClient()
    await client.login(user.email, user.password)
  })()
  return ready
}

describe('gate', () => {
  bench('verify + denylist (authenticateAccessToken)', async () => {
    await signIn()
    await authenticateAccessToken(client.accessToken, Date.now())
  }, { warmupIterations: 50 })

  bench('proxy() on /api/me with a valid bearer token', async () => {
    await signIn()
    await proxy(new NextRequest(`${ORIGIN}/api/me`, { headers: { authorization: `Bearer ${client.accessToken}` } }))
  }, { warmupIterations: 50 })
})

describe('refresh', () => {
  bench('rotation (refreshSession, one transaction)', async () => {
    await signIn()
    const outcome = await refreshSession({ refreshToken: client.refreshToken, deviceId: client.deviceId, client: readClientInfo(new Headers(client.headers)) }, Date.now())
    if (!outcome.ok || !outcome.rotated) throw new Error(`refresh failed: ${JSON.stringify(outcome)}`)
    client.refreshToken = outcome.tokens.refreshToken
  }, { iterations: 200, warmupIterations: 10 })
})
