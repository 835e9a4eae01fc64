/**
 * Signing keys (Ed25519), generated on first start, kept encrypted at rest (AES-256-GCM under a
 * key derived with scrypt from the operator's passphrase), rotated by a command. Retired keys
 * stay in the JWKS — releases they signed keep verifying — until an operator archives one: its
 * private key is destroyed and it leaves the published JWKS, but its public key stays in the
 * installation's verification set, so the audit trail's checkpoints and heads it signed still verify.
 * Dev keys (for `indomain dev`) live in a store of their own and never appear in the
 * production JWKS.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { sealSecret, unsealSecret } from './sealed-secret.ts'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { JWK } from 'jose'
import { RuntimeError } from '../errors.ts'

export type KeyUse = 'production' | 'dev'

type StoredKey = {
  readonly kid: string
  readonly createdAt: string
  status: 'active' | 'retired' | 'archived'
  readonly publicJwk: JWK
  /** base64 of salt(16) | iv(12) | tag(16) | ciphertext of the private key (PKCS#8 DER); gone once archived. */
  readonly sealedPrivate?: string
  archivedAt?: string
}

type KeyFile = { readonly use: KeyUse; keys: StoredKey[] }

export type SigningKey = { readonly kid: string; readonly privateKey: KeyObject; readonly use: KeyUse }

export type PublicJwk = JWK & { kid: string; alg: 'EdDSA'; use: 'sig' }

export type KeyStore = {
  readonly use: KeyUse
  /** The active key (created on first use). */
  active(): SigningKey
  /** Makes a new active key; the previous one is retired (still verifiable). Returns the new kid. */
  rotate(): string
  /** Archives a retired key: its private key is destroyed and releases it signed stop verifying for consumers. */
  archive(kid: string): void
  /** The published public keys (active and retired) as a JWKS. */
  jwks(): { keys: PublicJwk[] }
  /** Every public key the installation ever signed with, archived ones included (verifying its own audit trail). */
  verificationJwks(): { keys: PublicJwk[] }
  list(): { kid: string; status: string; createdAt: string }[]
}

const publicOf = (k: StoredKey): PublicJwk => ({ ...k.publicJwk, kid: k.kid, alg: 'EdDSA' as const, use: 'sig' as const })

/** Opens (creating on first use) the key file at `path`, sealed with `passphrase`. */
export function openKeyStore(path: string, passphrase: string, use: KeyUse): KeyStore {
  if (passphrase.length < 12) throw new RuntimeError('ERR_CONFIG_INVALID', 'The key passphrase must be at least 12 characters')
  let file: KeyFile = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as KeyFile) : { use, keys: [] }
  if (file.use !== use) throw new RuntimeError('ERR_CONFIG_INVALID', 'The key file is for another use', { details: { expected: use } })
  const cache = new Map<string, KeyObject>()

  const save = () => {
    mkdirSync(dirname(path), { recursive: true })
    const temp = `${path}.tmp-${process.pid}`
    writeFileSync(temp, JSON.stringify(file, null, 2), { mode: 0o600 })
    renameSync(temp, path)
  }
  const create = (): string => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const kid = `${use === 'dev' ? 'dev-' : ''}${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`
    for (const k of file.keys) if (k.status === 'active') k.status = 'retired'
    file.keys.push({
      kid,
      createdAt: new Date().toISOString(),
      status: 'active',
      publicJwk: publicKey.export({ format: 'jwk' }) as JWK,
      sealedPrivate: sealSecret(privateKey.export({ format: 'der', type: 'pkcs8' }), passphrase),
    })
    save()
    return kid
  }

  return {
    use,
    active() {
      let key = file.keys.find((k) => k.status === 'active')
      if (key === undefined) {
        create()
        key = file.keys.find((k) => k.status === 'active')!
      }
      let privateKey = cache.get(key.kid)
      if (privateKey === undefined) {
        privateKey = createPrivateKey({ key: unsealSecret(key.sealedPrivate!, passphrase, 'ERR_SIGNING_FAILED'), format: 'der', type: 'pkcs8' })
        // the sealed key and the public key on record must belong together
        const derived = createPublicKey(privateKey).export({ format: 'jwk' })
        if (derived.x !== key.publicJwk.x) throw new RuntimeError('ERR_SIGNING_FAILED', 'The key file is inconsistent')
        cache.set(key.kid, privateKey)
      }
      return { kid: key.kid, privateKey, use }
    },
    rotate: () => create(),
    archive(kid) {
      const key = file.keys.find((k) => k.kid === kid)
      if (key === undefined) throw new RuntimeError('ERR_NOT_FOUND', 'No such key', { details: { kid } })
      if (key.status === 'active') throw new RuntimeError('ERR_CONFLICT', 'Rotate before archiving the active key', { details: { kid } })
      if (key.status === 'archived') throw new RuntimeError('ERR_CONFLICT', 'The key is archived already', { details: { kid } })
      file = { ...file, keys: file.keys.map((k) => (k.kid === kid ? { kid: k.kid, createdAt: k.createdAt, status: 'archived', publicJwk: k.publicJwk, archivedAt: new Date().toISOString() } : k)) }
      cache.delete(kid)
      save()
    },
    jwks: () => ({ keys: file.keys.filter((k) => k.status !== 'archived').map(publicOf) }),
    verificationJwks: () => ({ keys: file.keys.map(publicOf) }),
    list: () => file.keys.map((k) => ({ kid: k.kid, status: k.status, createdAt: k.createdAt })),
  }
}
