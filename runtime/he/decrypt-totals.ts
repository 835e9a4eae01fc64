/**
 * The decryption service's one operation: decrypt a packed grouped-sum ciphertext and read the
 * totals of the named groups only. Also reports the noise budget left, so that a result too
 * noisy to be exact is refused instead of returned.
 */
import { RuntimeError } from '../errors.ts'
import { loadCiphertext } from './encrypted-column.ts'
import type { SecretKey } from './he-keys.ts'
import { slotOfGroup } from './grouped-sum.ts'

export function decryptGroupTotals(key: SecretKey, packed: Uint8Array, window: number, groups: readonly number[]): Map<number, bigint> {
  const { he } = key
  const cipher = loadCiphertext(he, packed)
  const decryptor = new he.seal.Decryptor(he.context, key.secretKey)
  const plain = new he.seal.Plaintext()
  try {
    if (decryptor.invariantNoiseBudget(cipher) <= 0) throw new RuntimeError('ERR_DECRYPTION_REFUSED', 'The ciphertext is too noisy to decrypt exactly')
    decryptor.decrypt(cipher, plain)
    const slots = he.encoder.decodeBigUint64(plain) as BigUint64Array
    return new Map(groups.map((g) => [g, slots[slotOfGroup(g, window)]!]))
  } finally {
    cipher.delete()
    plain.delete()
    decryptor.delete()
  }
}
