/**
 * The homomorphic scheme's parameters, fixed for the platform: BFV (exact integers) with
 * polynomial degree 8192 (8,192 batched slots per ciphertext), SEAL's default coefficient modulus
 * for 128-bit security (218 bits), and a 40-bit batching prime as plain modulus. A sum is exact as
 * long as it stays below the plain modulus; `maxExactSum` (half of it, about 5.5 × 10^11) is the
 * bound the evaluator enforces: a million values of at most 549,755 each, for instance. The
 * noise budget (about 126 bits fresh) pays for the two plaintext masks of a grouped sum (about
 * 53 bits each), the additions of a million values and the rotations, with about 25 bits left;
 * a larger plain modulus would not survive both masks.
 */
import SEAL from 'node-seal'
import { createHash } from 'node:crypto'

export type Seal = Awaited<ReturnType<typeof SEAL>>
export type HeContext = {
  readonly seal: Seal
  readonly context: InstanceType<Seal['SEALContext']>
  readonly encoder: InstanceType<Seal['BatchEncoder']>
  readonly evaluator: InstanceType<Seal['Evaluator']>
  /** Slots per ciphertext. */
  readonly slots: number
  /** The plain modulus: every exact result is below it. */
  readonly plainModulus: bigint
  /** Names these parameters: keys and ciphertexts carry it, and are refused under others. */
  readonly fingerprint: string
}

export const POLY_DEGREE = 8192
export const PLAIN_MODULUS_BITS = 40
/** Rotation steps the Galois keys cover: 0 (swap the two rows) and the powers of two. */
export function rotationSteps(): Int32Array {
  const steps = [0]
  for (let s = 1; s < POLY_DEGREE / 2; s *= 2) steps.push(s)
  return Int32Array.from(steps)
}

let loading: Promise<HeContext> | undefined

/** The platform's context (one per process; node-seal's WebAssembly is loaded once). */
export function heContext(): Promise<HeContext> {
  loading ??= (async () => {
    const seal = await SEAL()
    const parms = new seal.EncryptionParameters(seal.SchemeType.bfv)
    parms.setPolyModulusDegree(POLY_DEGREE)
    parms.setCoeffModulus(seal.CoeffModulus.BFVDefault(POLY_DEGREE, seal.SecLevelType.tc128))
    parms.setPlainModulus(seal.PlainModulus.Batching(POLY_DEGREE, PLAIN_MODULUS_BITS))
    // the context refuses parameters below 128-bit security
    const context = new seal.SEALContext(parms, true, seal.SecLevelType.tc128)
    if (!context.parametersSet()) throw new Error('the homomorphic parameters are not valid')
    const encoder = new seal.BatchEncoder(context)
    return {
      seal,
      context,
      encoder,
      evaluator: new seal.Evaluator(context),
      slots: encoder.slotCount(),
      plainModulus: parms.plainModulus().value(),
      fingerprint: createHash('sha256').update(parms.saveToBase64(seal.ComprModeType.none)).digest('hex').slice(0, 16),
    }
  })()
  return loading
}

/** The largest sum the evaluator computes: half the plain modulus, far from any wrap. */
export function maxExactSum(he: HeContext): bigint {
  return he.plainModulus / 2n
}
