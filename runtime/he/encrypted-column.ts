/**
 * A numeric column encrypted by its provider: values turned into non-negative integers with a
 * fixed-point scale (10^decimals: 3,456.78 yuan at scale 100 is 345,678 分), checked against the
 * provider's declared bound, batched 8,192 to a ciphertext in the order of the table's rows,
 * and encrypted with the public key. Only ciphertexts, the scale, the bound and the row keys
 * (which row each slot holds, and whether it has a value) are stored; the plaintext column can
 * then be dropped from the store.
 */
import { RuntimeError } from '../errors.ts'
import type { HeContext } from './he-context.ts'
import type { PublicKeys } from './he-keys.ts'

export type EncryptedColumn = {
  readonly table: string
  readonly field: string
  /** Values were multiplied by this (a power of ten) and rounded: the fixed-point scale. */
  readonly scale: number
  /** The declared upper bound of one scaled value; every sum bound follows from it. */
  readonly maxValue: bigint
  /** One entry per slot, in slot order: the row's key, and whether it has a value. */
  readonly slots: readonly { readonly key: string; readonly present: boolean }[]
  /** Serialized ciphertexts, each holding `slots` consecutive values. */
  readonly chunks: readonly Uint8Array[]
  readonly fingerprint: string
}

/** A value to its scaled integer; refused when it is negative, not exact at this scale, or above the bound. */
export function scaledValue(value: number | string, scale: number, maxValue: bigint): bigint {
  const text = typeof value === 'number' ? String(value) : value.trim()
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text)
  const decimals = Math.round(Math.log10(scale))
  if (m === null) throw new RuntimeError('ERR_PARAMS_INVALID', 'An encrypted value is a non-negative decimal number')
  const fraction = (m[2] ?? '').replace(/0+$/, '')
  if (fraction.length > decimals) throw new RuntimeError('ERR_PARAMS_INVALID', 'A value has more decimals than the fixed-point scale keeps', { details: { scale } })
  const scaled = BigInt(m[1]!) * BigInt(scale) + BigInt((fraction + '0'.repeat(decimals)).slice(0, decimals) || '0')
  if (scaled > maxValue) throw new RuntimeError('ERR_HE_BOUND_EXCEEDED', 'A value is above the declared bound', { details: { maxValue: String(maxValue) } })
  return scaled
}

/** Encrypts scaled values (null: no value, encrypted as 0 and marked absent) into chunks of ciphertexts. */
export function encryptValues(keys: PublicKeys, values: readonly (bigint | null)[]): Uint8Array[] {
  const { he } = keys
  const encryptor = new he.seal.Encryptor(he.context, keys.publicKey)
  const plain = new he.seal.Plaintext()
  const cipher = new he.seal.Ciphertext()
  const chunks: Uint8Array[] = []
  const slotValues = new BigUint64Array(he.slots)
  for (let start = 0; start < values.length; start += he.slots) {
    slotValues.fill(0n)
    const end = Math.min(values.length, start + he.slots)
    for (let i = start; i < end; i++) slotValues[i - start] = values[i] ?? 0n
    he.encoder.encode(slotValues, plain)
    encryptor.encrypt(plain, cipher)
    chunks.push(Uint8Array.from(cipher.saveToArray(he.seal.ComprModeType.none) as Uint8Array))
  }
  encryptor.delete()
  plain.delete()
  cipher.delete()
  return chunks
}

/** A stored ciphertext back into SEAL (refused if it is not one of these parameters). */
export function loadCiphertext(he: HeContext, bytes: Uint8Array): InstanceType<HeContext['seal']['Ciphertext']> {
  const cipher = new he.seal.Ciphertext()
  // node-seal reads a whole, plain Uint8Array (not a Buffer, not a view into a larger buffer)
  const whole = bytes.constructor === Uint8Array && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : Uint8Array.from(bytes)
  try {
    cipher.loadFromArray(he.context, whole)
  } catch (cause) {
    cipher.delete()
    throw new RuntimeError('ERR_HE_KEY', 'A stored ciphertext is damaged or of other parameters', { cause })
  }
  return cipher
}
