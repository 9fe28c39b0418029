// Prints a new ES256 private JWK for AUTH_SIGNING_KEYS (SPEC §2).
// Rotation: put the new key FIRST in the array, keep the old one after it until its tokens expire.
import { exportJWK, generateKeyPair } from 'jose'

const { privateKey } = await generateKeyPair('ES256', { extractable: true })
const jwk = await exportJWK(privateKey)
const kid = `${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`
const key = { ...jwk, kid, alg: 'ES256', use: 'sig' }
console.log(JSON.stringify(key))
if (process.stdout.isTTY) {
  console.error(`\nSet AUTH_SIGNING_KEYS='[${JSON.stringify(key)}]' (or prepend it to the existing array to rotate).`)
}
