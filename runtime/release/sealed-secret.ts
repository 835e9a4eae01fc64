/**
 * Secrets at rest (signing keys, the homomorphic secret key): AES-256-GCM under a key derived
 * with scrypt from a passphrase. The sealed form is base64 of salt(16) | iv(12) | tag(16) | body.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { RuntimeError, type RuntimeErrorCode } from '../errors.ts'

export function sealSecret(plain: Buffer, passphrase: string): string {
  const salt = randomBytes(16)
  const key = scryptSync(passphrase, salt, 32)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  return Buffer.concat([salt, iv, cipher.getAuthTag(), body]).toString('base64')
}

/** Opens a sealed secret; a wrong passphrase or a damaged file fails with `code`. */
export function unsealSecret(sealed: string, passphrase: string, code: RuntimeErrorCode): Buffer {
  const raw = Buffer.from(sealed, 'base64')
  const key = scryptSync(passphrase, raw.subarray(0, 16), 32)
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(16, 28))
  decipher.setAuthTag(raw.subarray(28, 44))
  try {
    return Buffer.concat([decipher.update(raw.subarray(44)), decipher.final()])
  } catch (cause) {
    throw new RuntimeError(code, 'A sealed key cannot be opened (wrong passphrase or damaged key file)', { cause })
  }
}
