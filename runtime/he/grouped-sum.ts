/**
 * Sums of an encrypted column per group of a plaintext field, computed over ciphertexts only.
 *
 * 1. Per chunk, each released group's rows are selected by a plaintext 0/1 mask and added to that
 *    group's accumulator (a chunk whose rows all belong to one group needs no mask).
 * 2. Each accumulator is summed over 2^k neighbouring slots by k rotations (2^k ≥ the number of
 *    groups), masked to the first slot of every window, and rotated by its group index so that
 *    the groups occupy different slots of each window; all groups are added into one ciphertext.
 * 3. The remaining rotations sum the windows: every slot ≡ −g (mod 2^k) then holds group g's
 *    total. Suppressed groups never enter this ciphertext, so no decryption can reveal them.
 *
 * Exactness: BFV is exact modulo the plain modulus; every sum is refused beforehand when its
 * count times the column's declared bound could reach half of it (ERR_HE_BOUND_EXCEEDED).
 */
import { RuntimeError } from '../errors.ts'
import { maxExactSum, POLY_DEGREE, type HeContext } from './he-context.ts'
import type { PublicKeys } from './he-keys.ts'
import { loadCiphertext, type EncryptedColumn } from './encrypted-column.ts'

type Cipher = InstanceType<HeContext['seal']['Ciphertext']>

export type GroupedSumRequest = {
  readonly column: EncryptedColumn
  /** Per slot: the group index (0 … groups−1) of its row, or −1 (no group, or no value). */
  readonly labels: Int32Array
  readonly groups: number
  /** Groups that passed the release checks on their counts; the others are never computed. */
  readonly released: readonly boolean[]
}

export type GroupedSum = {
  /** One ciphertext holding every released group's total (serialized). */
  readonly packed: Uint8Array
  /** Window size 2^k: group g's total is at every slot ≡ (2^k − g) mod 2^k. */
  readonly window: number
  /** Rows with a value per group (plaintext, from the labels). */
  readonly counts: readonly number[]
}

/** The slot that holds group `g`'s total in a packed result. */
export function slotOfGroup(g: number, window: number): number {
  return (window - g) % window
}

/** Rows with a value per group. */
export function groupCounts(request: Pick<GroupedSumRequest, 'column' | 'labels' | 'groups'>): number[] {
  const counts = new Array<number>(request.groups).fill(0)
  request.column.slots.forEach((slot, i) => {
    const g = request.labels[i]!
    if (slot.present && g >= 0) counts[g]!++
  })
  return counts
}

export function encryptedGroupSums(keys: PublicKeys, request: GroupedSumRequest): GroupedSum {
  const { he, galoisKeys } = keys
  const { column, labels, groups, released } = request
  const { seal, evaluator, encoder, slots } = he
  if (labels.length !== column.slots.length) throw new RuntimeError('ERR_PARAMS_INVALID', 'One group label per encrypted row is needed')
  if (groups < 1 || groups > slots / 2) throw new RuntimeError('ERR_PARAMS_INVALID', 'Between 1 and 4,096 groups')
  const counts = groupCounts(request)
  for (let g = 0; g < groups; g++) {
    if (released[g] === true && BigInt(counts[g]!) * column.maxValue >= maxExactSum(he)) {
      throw new RuntimeError('ERR_HE_BOUND_EXCEEDED', 'A group\'s sum could reach the plain modulus: refused rather than wrapped', { details: { group: g, rows: counts[g], maxValue: String(column.maxValue) } })
    }
  }
  const live: Cipher[] = []
  const track = <T extends { delete(): void }>(o: T): T => {
    live.push(o as unknown as Cipher)
    return o
  }
  try {
    // 1. accumulate per group
    const acc = new Map<number, Cipher>()
    const mask = new BigUint64Array(slots)
    const plain = track(new seal.Plaintext())
    const product = track(new seal.Ciphertext())
    const addTo = (g: number, c: Cipher) => {
      const a = acc.get(g)
      if (a === undefined) acc.set(g, track(c.copy()))
      else evaluator.addInplace(a, c)
    }
    column.chunks.forEach((bytes, c) => {
      const start = c * slots
      const end = Math.min(column.slots.length, start + slots)
      const present = new Set<number>()
      let unselected = false
      for (let i = start; i < end; i++) {
        const g = column.slots[i]!.present ? labels[i]! : -1
        if (g >= 0 && released[g] === true) present.add(g)
        else if (column.slots[i]!.present) unselected = true
      }
      if (present.size === 0) return
      const cipher = track(loadCiphertext(he, bytes))
      if (present.size === 1 && !unselected) {
        addTo([...present][0]!, cipher)
        return
      }
      for (const g of present) {
        mask.fill(0n)
        for (let i = start; i < end; i++) if (labels[i] === g && column.slots[i]!.present) mask[i - start] = 1n
        encoder.encode(mask, plain)
        evaluator.multiplyPlain(cipher, plain, product)
        addTo(g, product)
      }
    })

    // 2. windows of 2^k slots, one slot per group
    const window = 2 ** Math.ceil(Math.log2(Math.max(groups, 1)))
    const firstOfWindow = new BigUint64Array(slots)
    for (let i = 0; i < slots; i += window) firstOfWindow[i] = 1n
    encoder.encode(firstOfWindow, plain)
    const rotated = track(new seal.Ciphertext())
    let packed: Cipher | undefined
    for (const [g, a] of acc) {
      for (let step = 1; step < window; step *= 2) {
        evaluator.rotateRows(a, step, galoisKeys, rotated)
        evaluator.addInplace(a, rotated)
      }
      if (window > 1) evaluator.multiplyPlainInplace(a, plain)
      // rotate left by g, one power of two at a time (the keys cover those)
      for (let bit = 1; bit <= g; bit *= 2) {
        if ((g & bit) === 0) continue
        evaluator.rotateRows(a, bit, galoisKeys, rotated)
        a.assign(rotated)
      }
      if (packed === undefined) packed = a
      else evaluator.addInplace(packed, a)
    }
    if (packed === undefined) {
      // nothing released: an encryption of zero, so that the shape of the answer reveals nothing
      packed = track(new seal.Ciphertext())
      track(new seal.Encryptor(he.context, keys.publicKey)).encryptZero(packed)
    }

    // 3. sum the windows across the row, then the two rows
    for (let step = window; step < POLY_DEGREE / 2; step *= 2) {
      evaluator.rotateRows(packed, step, galoisKeys, rotated)
      evaluator.addInplace(packed, rotated)
    }
    evaluator.rotateColumns(packed, galoisKeys, rotated)
    evaluator.addInplace(packed, rotated)
    return { packed: Uint8Array.from(packed.saveToArray(seal.ComprModeType.none) as Uint8Array), window, counts }
  } finally {
    for (const o of live) o.delete()
  }
}
