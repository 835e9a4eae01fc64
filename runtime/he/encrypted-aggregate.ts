/**
 * count / sum / mean of an encrypted field per group of a plaintext field, released through the
 * checks: counts come from the plaintext groups; a group below the minimum cell count is
 * suppressed before anything is computed (it never enters the ciphertext, so it can never be
 * decrypted); the other groups are summed over ciphertexts in this process, which holds no secret
 * key; the release gate signs an approval for exactly that ciphertext and those groups; the
 * decryption service decrypts them and, as the dominance check, withholds any group whose total
 * is not at least the column's declared per-value bound divided by the dominance share (so no
 * single contributor can exceed that share of it).
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { DuckDBConnection } from '@duckdb/node-api'
import type { SigningKey } from '../release/key-store.ts'
import { RuntimeError } from '../errors.ts'
import { approveDecryption, cipherHash } from './decryption-approval.ts'
import { encryptedGroupSums, type GroupedSum, type GroupedSumRequest } from './grouped-sum.ts'
import type { PublicKeys } from './he-keys.ts'
import { groupLabels, loadEncryptedColumn } from './he-store.ts'

export type AggregateOp = 'count' | 'sum' | 'mean'

/** Most groups one encrypted aggregate releases (districts, compounds, industries — not persons). */
export const MAX_RELEASED_GROUPS = 512

export type EncryptedAggregateRequest = {
  readonly table: string
  readonly field: string
  readonly by: { readonly table: string; readonly field: string; readonly via?: string }
  readonly ops: readonly AggregateOp[]
  /** What the decryption approval is for. */
  readonly release: { readonly id: string; readonly product: string; readonly consumer: string }
  readonly minCount: number
  /** The scenario's row filters on the encrypted table and on the group's table, if any. */
  readonly rowFilter?: { readonly field: string; readonly values: readonly string[] }
  readonly groupFilter?: { readonly field: string; readonly values: readonly string[] }
  /** Largest share of a group's total one contributor may hold (0 … 1). */
  readonly dominanceShare: number
}

export type AggregateGroup =
  | { readonly group: string; readonly count: number; readonly sum?: string; readonly mean?: string }
  | { readonly group: string; readonly suppressed: 'MIN_COUNT' | 'DOMINANCE' }

/** The decryption service, as the runtime reaches it: totals of the approved groups, or refused; withheld groups are absent. */
export type DecryptionClient = (approval: string, packed: Uint8Array, groups: readonly number[]) => Promise<Map<number, bigint>>

/** A scaled integer back to its decimal text (exact). */
export function unscaled(value: bigint, scale: number): string {
  if (scale === 1) return value.toString()
  const decimals = String(scale).length - 1
  const text = value.toString().padStart(decimals + 1, '0')
  return `${text.slice(0, -decimals)}.${text.slice(-decimals)}`.replace(/\.?0+$/, '')
}

/** The exact mean, rounded half up to the column's decimals plus two. */
function meanOf(total: bigint, count: number, scale: number): string {
  const extra = 100n
  const n = BigInt(count)
  return unscaled((total * extra * 2n + n) / (2n * n), scale * 100)
}

export async function encryptedAggregate(
  deps: {
    readonly store: DuckDBConnection
    readonly catalog: Catalog
    readonly keys: PublicKeys
    readonly signingKey: SigningKey
    readonly decrypt: DecryptionClient
    /** Where the grouped sum is evaluated (a thread of its own when serving); in this thread when absent. */
    readonly sum?: (request: GroupedSumRequest) => Promise<GroupedSum>
  },
  request: EncryptedAggregateRequest,
): Promise<AggregateGroup[]> {
  if (!(request.dominanceShare > 0 && request.dominanceShare <= 1)) throw new RuntimeError('ERR_PARAMS_INVALID', 'A dominance share is between 0 and 1')
  const column = await loadEncryptedColumn(deps.store, request.table, request.field)
  if (column.fingerprint !== deps.keys.he.fingerprint) throw new RuntimeError('ERR_HE_KEY', 'The column was encrypted under other keys')
  const { labels, values } = await groupLabels(deps.store, deps.catalog, column, request.by, request.rowFilter, request.groupFilter)
  const counts = new Array<number>(values.length).fill(0)
  column.slots.forEach((s, i) => {
    if (s.present && labels[i]! >= 0) counts[labels[i]!]!++
  })
  const released = counts.map((n) => n >= request.minCount)
  const wantsTotals = request.ops.includes('sum') || request.ops.includes('mean')
  let totals = new Map<number, bigint>()
  const approved = released.flatMap((r, g) => (r ? [g] : []))
  // each released group costs a dozen rotations on this process's thread: the count is bounded
  if (approved.length > MAX_RELEASED_GROUPS) {
    throw new RuntimeError('ERR_PARAMS_INVALID', 'Too many groups for an encrypted aggregate: group by a coarser field', { details: { groups: approved.length, max: MAX_RELEASED_GROUPS } })
  }
  if (wantsTotals && approved.length > 0) {
    const sumRequest = { column, labels, groups: values.length, released }
    const sum = deps.sum === undefined ? encryptedGroupSums(deps.keys, sumRequest) : await deps.sum(sumRequest)
    const approval = approveDecryption(deps.signingKey, {
      release: request.release.id,
      product: request.release.product,
      consumer: request.release.consumer,
      column: `${request.table}.${request.field}`,
      cipherHash: cipherHash(sum.packed),
      window: sum.window,
      groups: approved,
      dominance: { share: request.dominanceShare, maxValue: String(column.maxValue) },
    })
    totals = await deps.decrypt(approval, sum.packed, approved)
  }
  return values.map((group, g): AggregateGroup => {
    if (!released[g]) return { group, suppressed: 'MIN_COUNT' }
    if (!wantsTotals) return { group, count: counts[g]! }
    const total = totals.get(g)
    if (total === undefined) return { group, suppressed: 'DOMINANCE' }
    return {
      group,
      count: counts[g]!,
      ...(request.ops.includes('sum') ? { sum: unscaled(total, column.scale) } : {}),
      ...(request.ops.includes('mean') ? { mean: meanOf(total, counts[g]!, column.scale) } : {}),
    }
  })
}
