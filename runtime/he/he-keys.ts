/**
 * Homomorphic keys and who holds them. The key custodian (the data authority) generates them:
 * the public key and the Galois (rotation) keys go to the runtime and to data providers; the
 * secret key, sealed with the custodian's passphrase, goes only to the decryption service. The
 * runtime's loader refuses a file that holds a secret key, so it can never be handed one.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { RuntimeError } from '../errors.ts'
import { sealSecret, unsealSecret } from '../release/sealed-secret.ts'
import { heContext, rotationSteps, type HeContext } from './he-context.ts'

export const PUBLIC_KEYS_FILE = 'he-public.json'
export const SECRET_KEY_FILE = 'he-secret.json'

type PublicKeysFile = { readonly kind: 'indomain-he-public'; readonly fingerprint: string; readonly publicKey: string; readonly galoisKeys: string }
type SecretKeyFile = { readonly kind: 'indomain-he-secret'; readonly fingerprint: string; readonly sealedSecretKey: string }

export type PublicKeys = {
  readonly he: HeContext
  readonly publicKey: InstanceType<HeContext['seal']['PublicKey']>
  readonly galoisKeys: InstanceType<HeContext['seal']['GaloisKeys']>
}
export type SecretKey = { readonly he: HeContext; readonly secretKey: InstanceType<HeContext['seal']['SecretKey']> }

/** Generates a key set into `dir`: the public file for the runtime and providers, the sealed secret file for the decryption service. */
export async function generateHeKeys(dir: string, passphrase: string): Promise<{ publicPath: string; secretPath: string }> {
  const he = await heContext()
  const { seal } = he
  mkdirSync(dir, { recursive: true })
  const publicPath = join(dir, PUBLIC_KEYS_FILE)
  const secretPath = join(dir, SECRET_KEY_FILE)
  if (existsSync(publicPath) || existsSync(secretPath)) throw new RuntimeError('ERR_CONFLICT', 'Homomorphic keys exist already in this folder', { details: { dir } })
  const generator = new seal.KeyGenerator(he.context)
  const zstd = seal.ComprModeType.zstd
  const publicFile: PublicKeysFile = {
    kind: 'indomain-he-public',
    fingerprint: he.fingerprint,
    publicKey: generator.createPublicKey().saveToBase64(zstd),
    galoisKeys: generator.createGaloisKeysWithSteps(rotationSteps()).saveToBase64(zstd),
  }
  const secretFile: SecretKeyFile = {
    kind: 'indomain-he-secret',
    fingerprint: he.fingerprint,
    sealedSecretKey: sealSecret(Buffer.from(generator.secretKey().saveToBase64(zstd)), passphrase),
  }
  writeFileSync(publicPath, JSON.stringify(publicFile), { mode: 0o644 })
  writeFileSync(secretPath, JSON.stringify(secretFile), { mode: 0o600 })
  return { publicPath, secretPath }
}

function readKeyFile(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  } catch (cause) {
    throw new RuntimeError('ERR_HE_KEY', 'The homomorphic key file cannot be read', { cause, details: { path } })
  }
}

/**
 * The runtime's (and providers') keys: public and Galois only. A file holding a secret key is
 * refused. Without `galois` (a process that only encrypts or checks fingerprints, while a thread
 * of its own evaluates) the Galois keys — hundreds of megabytes in memory — are not loaded, and
 * any rotation with these keys fails.
 */
export async function loadPublicKeys(path: string, options: { readonly galois?: boolean } = {}): Promise<PublicKeys> {
  const file = readKeyFile(path)
  if (file.kind !== 'indomain-he-public' || 'sealedSecretKey' in file || 'secretKey' in file) {
    throw new RuntimeError('ERR_HE_KEY', 'Only the public homomorphic keys may be loaded here', { details: { path } })
  }
  const he = await heContext()
  if (file.fingerprint !== he.fingerprint) throw new RuntimeError('ERR_HE_KEY', 'The keys were made for other parameters', { details: { path } })
  const publicKey = new he.seal.PublicKey()
  const galoisKeys = new he.seal.GaloisKeys()
  try {
    publicKey.loadFromBase64(he.context, String(file.publicKey))
    if (options.galois !== false) galoisKeys.loadFromBase64(he.context, String(file.galoisKeys))
  } catch (cause) {
    throw new RuntimeError('ERR_HE_KEY', 'The homomorphic key file is damaged', { cause, details: { path } })
  }
  return { he, publicKey, galoisKeys }
}

/** The decryption service's secret key (and nobody else's). */
export async function loadSecretKey(path: string, passphrase: string): Promise<SecretKey> {
  const file = readKeyFile(path)
  if (file.kind !== 'indomain-he-secret') throw new RuntimeError('ERR_HE_KEY', 'Not a homomorphic secret key file', { details: { path } })
  const he = await heContext()
  if (file.fingerprint !== he.fingerprint) throw new RuntimeError('ERR_HE_KEY', 'The key was made for other parameters', { details: { path } })
  const secretKey = new he.seal.SecretKey()
  try {
    secretKey.loadFromBase64(he.context, unsealSecret(String(file.sealedSecretKey), passphrase, 'ERR_HE_KEY').toString())
  } catch (cause) {
    if (cause instanceof RuntimeError) throw cause
    throw new RuntimeError('ERR_HE_KEY', 'The homomorphic secret key file is damaged', { cause, details: { path } })
  }
  return { he, secretKey }
}
