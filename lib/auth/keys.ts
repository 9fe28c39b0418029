import 'server-only'
import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { getConfig } from '@/lib/config'

// node:crypto KeyObjects: tokens are signed and verified synchronously (lib/auth/jws.ts).
export type SigningKey = { kid: string; privateKey: KeyObject }
export type KeySet = {
  /** The first key of AUTH_SIGNING_KEYS: signs everything new. */
  signing: SigningKey
  /** Every configured key by kid: all verify (rotation, SPEC §2). */
  verifying: Map<string, KeyObject>
  /** Public halves for /.well-known/jwks.json. */
  publicJwks: JWK[]
  /**
   * HMAC keys for device ids (lib/auth/device-id.ts), derived from each signing key in the same
   * order: every instance that shares AUTH_SIGNING_KEYS recognises the others' ids, and after a
   * key rotation the old key's ids are still recognised.
   */
  deviceIdKeys: Buffer[]
  /** HMAC keys for the gate's verdict to the handlers of the same request (lib/auth/gate-verdict.ts), likewise. */
  gateKeys: Buffer[]
}

/** A purpose-bound secret from a private key's scalar (HKDF, RFC 5869); the key itself never leaves. */
function deriveSecret(privateScalar: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(privateScalar, 'base64url'), 'nj-jwt', purpose, 32))
}

export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  const jwk = await exportJWK(privateKey)
  const kid = `${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`
  return { ...jwk, kid, alg: 'ES256', use: 'sig' }
}

export async function importKeySet(privateJwks: JWK[]): Promise<KeySet> {
  if (privateJwks.length === 0) throw new Error('AUTH_SIGNING_KEYS must hold at least one key')
  const verifying = new Map<string, KeyObject>()
  const publicJwks: JWK[] = []
  const deviceIdKeys: Buffer[] = []
  const gateKeys: Buffer[] = []
  let signing: SigningKey | undefined
  for (const jwk of privateJwks) {
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d || !jwk.kid) {
      throw new Error('AUTH_SIGNING_KEYS: every key must be a private P-256 JWK with a kid (npm run keys:generate)')
    }
    const { d: _d, key_ops: _ops, ext: _ext, ...publicJwk } = jwk
    let privateKey: KeyObject
    try {
      privateKey = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d }, format: 'jwk' })
    } catch {
      throw new Error(`AUTH_SIGNING_KEYS: key ${jwk.kid} is not a valid P-256 private key`)
    }
    verifying.set(jwk.kid, createPublicKey(privateKey))
    publicJwks.push({ ...publicJwk, alg: 'ES256', use: 'sig' })
    deviceIdKeys.push(deriveSecret(jwk.d, 'device-id v1'))
    gateKeys.push(deriveSecret(jwk.d, 'gate-verdict v1'))
    signing ??= { kid: jwk.kid, privateKey }
  }
  return { signing: signing!, verifying, publicJwks, deviceIdKeys, gateKeys }
}

/** Embedded/dev without AUTH_SIGNING_KEYS: one generated key, kept under DATA_DIR across restarts. */
async function loadOrCreateDevKeys(dataDir: string): Promise<JWK[]> {
  const file = path.resolve(dataDir, 'signing-keys.json')
  try {
    return JSON.parse(await readFile(file, 'utf8')) as JWK[]
  } catch {
    const keys = [await generateSigningJwk()]
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' }).catch(async () => {
      // Another worker wrote it first: use theirs so every process signs with the same key.
      keys.splice(0, 1, ...(JSON.parse(await readFile(file, 'utf8')) as JWK[]))
    })
    return keys
  }
}

async function loadKeySet(): Promise<KeySet> {
  const config = getConfig()
  if (config.signingKeys) {
    let parsed: unknown
    try {
      parsed = JSON.parse(config.signingKeys)
    } catch {
      throw new Error('AUTH_SIGNING_KEYS is not valid JSON: expected an array of private JWKs')
    }
    return importKeySet(Array.isArray(parsed) ? (parsed as JWK[]) : [parsed as JWK])
  }
  if (config.env === 'test') return importKeySet([await generateSigningJwk()])
  return importKeySet(await loadOrCreateDevKeys(config.dataDir))
}

const globalKeys = globalThis as { __njjwtKeys?: Promise<KeySet> }

export function getKeySet(): Promise<KeySet> {
  globalKeys.__njjwtKeys ??= loadKeySet().catch((error: unknown) => {
    globalKeys.__njjwtKeys = undefined
    throw error
  })
  return globalKeys.__njjwtKeys
}
