/**
 * Exactness of encrypted grouped sums against the plaintext computation: random data, zeros,
 * maxima, empty groups, a group of one, unordered rows; sums that could wrap are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateHeKeys, loadPublicKeys, loadSecretKey, type PublicKeys, type SecretKey } from '../../../runtime/he/he-keys.ts'
import { encryptValues, scaledValue, type EncryptedColumn } from '../../../runtime/he/encrypted-column.ts'
import { encryptedGroupSums } from '../../../runtime/he/grouped-sum.ts'
import { decryptGroupTotals } from '../../../runtime/he/decrypt-totals.ts'
import { maxExactSum } from '../../../runtime/he/he-context.ts'
import { groupedSumThread } from '../../../runtime/he/grouped-sum-thread.ts'

let dir: string
let keys: PublicKeys
let secret: SecretKey
let secretPath: string
let publicPath: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-he-'))
  ;({ publicPath, secretPath } = await generateHeKeys(dir, 'custodian passphrase'))
  keys = await loadPublicKeys(publicPath)
  secret = await loadSecretKey(secretPath, 'custodian passphrase')
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function columnOf(values: readonly (bigint | null)[], maxValue: bigint): EncryptedColumn {
  return { table: 't', field: 'f', scale: 1, maxValue, fingerprint: keys.he.fingerprint, slots: values.map((v, i) => ({ key: String(i), present: v !== null })), chunks: encryptValues(keys, values) }
}

function check(values: readonly (bigint | null)[], labels: readonly number[], groups: number, released: boolean[], maxValue: bigint) {
  const sum = encryptedGroupSums(keys, { column: columnOf(values, maxValue), labels: Int32Array.from(labels), groups, released })
  const approved = released.flatMap((r, g) => (r ? [g] : []))
  const totals = decryptGroupTotals(secret, sum.packed, sum.window, approved)
  const want = new Array<bigint>(groups).fill(0n)
  const counts = new Array<number>(groups).fill(0)
  values.forEach((v, i) => {
    if (v !== null && labels[i]! >= 0) {
      want[labels[i]!]! += v
      counts[labels[i]!]!++
    }
  })
  for (const g of approved) expect(totals.get(g), `group ${g}`).toBe(want[g])
  expect(sum.counts).toEqual(counts)
  return { sum, want }
}

describe('encrypted grouped sums', () => {
  it('equal the plaintext sums on random data spread over several ciphertexts, rows in any order', () => {
    const n = 20_000
    const values = Array.from({ length: n }, () => BigInt(Math.floor(Math.random() * 1_000_000)))
    const labels = Array.from({ length: n }, () => Math.floor(Math.random() * 5))
    check(values, labels, 5, [true, true, true, true, true], 1_000_000n)
  }, 60_000)

  it('handle zeros, maxima, missing values, an empty group, a group of one and rows in no group', () => {
    const max = 549_755n
    const values = [0n, 0n, max, max, max, null, 7n, 3n, null, 0n]
    const labels = [0, 0, 1, 1, 1, 1, 3, -1, 2, 0]
    // group 2 has no value at all (empty), group 3 one member
    check(values, labels, 4, [true, true, true, true], max)
  }, 60_000)

  it('never put a suppressed group in the ciphertext: its slot decrypts to zero', () => {
    const values = [5n, 6n, 7n, 8n]
    const { sum } = check(values, [0, 1, 1, 0], 2, [true, false], 10n)
    const all = decryptGroupTotals(secret, sum.packed, sum.window, [0, 1])
    expect(all.get(1)).toBe(0n)
  }, 60_000)

  it('refuse a sum that could wrap around the plain modulus, rather than return a wrong number', () => {
    const big = maxExactSum(keys.he) / 2n + 1n
    expect(() => encryptedGroupSums(keys, { column: columnOf([1n, 1n], big), labels: Int32Array.from([0, 0]), groups: 1, released: [true] })).toThrow(expect.objectContaining({ code: 'ERR_HE_BOUND_EXCEEDED' }))
    // just below the bound still computes exactly
    const fits = maxExactSum(keys.he) / 2n - 1n
    check([fits, fits], [0, 0], 1, [true], fits)
  }, 60_000)

  it('run on a thread of their own, which answers exactly, and whose end rejects a pending call instead of leaving it hanging', async () => {
    const values = Array.from({ length: 10_000 }, (_, i) => BigInt(i % 7))
    const request = { column: columnOf(values, 10n), labels: Int32Array.from(values, (_, i) => i % 4), groups: 4, released: [true, true, true, true] }
    const runner = groupedSumThread(publicPath)
    const sum = await runner.sum(request)
    const totals = decryptGroupTotals(secret, sum.packed, sum.window, [0, 1, 2, 3])
    const want = [0n, 0n, 0n, 0n]
    values.forEach((v, i) => (want[i % 4]! += v))
    expect([...totals.values()]).toEqual(want)
    const pending = runner.sum(request)
    await runner.close()
    await expect(pending).rejects.toMatchObject({ code: 'ERR_INTERNAL' })
  }, 60_000)

  it('scale decimals to exact integers and refuse values outside the declared bound', () => {
    expect(scaledValue('3456.78', 100, 10_000_000n)).toBe(345_678n)
    expect(scaledValue(12, 100, 10_000_000n)).toBe(1200n)
    expect(() => scaledValue('1.234', 100, 10_000_000n)).toThrow(expect.objectContaining({ code: 'ERR_PARAMS_INVALID' }))
    expect(() => scaledValue('-5', 1, 100n)).toThrow(expect.objectContaining({ code: 'ERR_PARAMS_INVALID' }))
    expect(() => scaledValue('101', 1, 100n)).toThrow(expect.objectContaining({ code: 'ERR_HE_BOUND_EXCEEDED' }))
  })

  it('give the runtime only public keys: its loader refuses the secret key file, and the public file holds none', async () => {
    await expect(loadPublicKeys(secretPath)).rejects.toMatchObject({ code: 'ERR_HE_KEY' })
    const publicFile = JSON.parse(readFileSync(publicPath, 'utf8')) as Record<string, unknown>
    expect(Object.keys(publicFile).sort()).toEqual(['fingerprint', 'galoisKeys', 'kind', 'publicKey'])
    await expect(loadSecretKey(secretPath, 'a wrong passphrase')).rejects.toMatchObject({ code: 'ERR_HE_KEY' })
  })
})
