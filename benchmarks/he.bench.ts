/**
 * Homomorphic aggregates at 1,000,000 encrypted values (BFV, n = 8192, 128-bit):
 * - `he.encrypt.values_per_s`: the provider's encryption, values per second. Goal ≥ 500,000.
 * - `he.group_sum_1m.seconds`: a sum per group into 20 groups over the ciphertexts (masks,
 *   rotations, packing) plus the decryption of the released totals, with the slots in the order
 *   of the grouping (as the provider packs them); baseline: the same grouped sum in plaintext in
 *   the same run (ms), ratio = encrypted ÷ plaintext. Goal ≤ 2 s.
 * - `he.group_sum_1m.unordered_seconds`: the same with the slots in an order unrelated to the
 *   groups (every chunk needs a mask per group): the worst case.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateHeKeys, loadPublicKeys, loadSecretKey } from '../runtime/he/he-keys.ts'
import { encryptValues } from '../runtime/he/encrypted-column.ts'
import { encryptedGroupSums } from '../runtime/he/grouped-sum.ts'
import { decryptGroupTotals } from '../runtime/he/decrypt-totals.ts'
import type { Benchmark } from './harness.ts'
import { median, round, shared, timed } from './measure.ts'

const VALUES = 1_000_000
const GROUPS = 20

type Figures = { encryptPerS: number; orderedS: number; unorderedS: number; plaintextMs: number }

const measure = shared(async (): Promise<Figures> => {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-he-'))
  try {
    const { publicPath, secretPath } = await generateHeKeys(dir, 'benchmark custodian passphrase')
    const keys = await loadPublicKeys(publicPath)
    const secret = await loadSecretKey(secretPath, 'benchmark custodian passphrase')
    // deterministic values up to 500,000 (e.g. a contribution base in yuan)
    let seed = 42
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    const values = Array.from({ length: VALUES }, () => BigInt(Math.floor(next() * 500_000)))
    const encrypted = await timed(() => encryptValues(keys, values))
    const column = { table: 't', field: 'f', scale: 1, maxValue: 500_000n, fingerprint: keys.he.fingerprint, slots: values.map((_, i) => ({ key: String(i), present: true })), chunks: encrypted.value }
    const released = Array.from({ length: GROUPS }, () => true)
    const groups = released.map((_, g) => g)
    const plain = Float64Array.from(values, Number)
    const run = (labels: Int32Array) => {
      const t = performance.now()
      const sum = encryptedGroupSums(keys, { column, labels, groups: GROUPS, released })
      const totals = decryptGroupTotals(secret, sum.packed, sum.window, groups)
      const seconds = (performance.now() - t) / 1000
      // exact, or the figure means nothing
      const want = new Float64Array(GROUPS)
      for (let i = 0; i < VALUES; i++) want[labels[i]!]! += plain[i]!
      for (const [g, total] of totals) if (Number(total) !== want[g]) throw new Error(`group ${g}: encrypted ${total} ≠ plaintext ${want[g]}`)
      return seconds
    }
    const ordered = Int32Array.from({ length: VALUES }, (_, i) => Math.floor((i * GROUPS) / VALUES))
    const unordered = Int32Array.from({ length: VALUES }, () => Math.floor(next() * GROUPS))
    const plaintextMs: number[] = []
    for (let r = 0; r < 5; r++) {
      const t = performance.now()
      const sums = new Float64Array(GROUPS)
      for (let i = 0; i < VALUES; i++) sums[ordered[i]!]! += plain[i]!
      plaintextMs.push(performance.now() - t)
    }
    return { encryptPerS: VALUES / (encrypted.ms / 1000), orderedS: run(ordered), unorderedS: run(unordered), plaintextMs: median(plaintextMs) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

export const benchmarks: readonly Benchmark[] = [
  {
    id: 'he.encrypt.values_per_s',
    title: 'provider-side BFV encryption of 1,000,000 values (8,192 per ciphertext), values per second (goal ≥ 500,000)',
    async run() {
      const f = await measure()
      return { value: round(f.encryptPerS, 0), unit: 'values/s', baseline: null, ratio: null, goal: null }
    },
  },
  {
    id: 'he.group_sum_1m.seconds',
    title: 'sum per group into 20 groups over 1,000,000 encrypted values, evaluation + decryption, slots in grouping order (baseline: plaintext, ms)',
    async run() {
      const f = await measure()
      return { value: round(f.orderedS, 2), unit: 's', baseline: round(f.plaintextMs, 1), ratio: round((f.orderedS * 1000) / f.plaintextMs, 0), goal: 2 }
    },
  },
  {
    id: 'he.group_sum_1m.unordered_seconds',
    title: 'the same grouped sum with slots in an order unrelated to the groups (a mask per group per ciphertext)',
    async run() {
      const f = await measure()
      return { value: round(f.unorderedS, 2), unit: 's', baseline: round(f.plaintextMs, 1), ratio: round((f.unorderedS * 1000) / f.plaintextMs, 0), goal: null }
    },
  },
]
