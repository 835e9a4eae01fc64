/**
 * Row-level release (datasets): the rows `classify` chose, as the consumer may receive them.
 * - Only where the operator approved row-level release of this scenario to this consumer.
 * - Each row's `unit` is the unit's pseudonym for this consumer alone (a keyed hash of the
 *   consumer and the unit's key: two consumers' rows do not link), or — where the operator
 *   approved identifiers for a public-interest scenario — the unit's identifier.
 * - k-anonymity on the declared quasi-identifiers of pseudonymous rows: rows whose combination of
 *   quasi-identifier values is shared by fewer than the minimum count of rows are withheld (rows
 *   released with approved identifiers name their units already).
 * Rows are listed in the order of their `unit`, which tells nothing of the store's order.
 */
import type { ProductManifest } from '../products/manifest.ts'
import { pseudonym } from '../scenarios/masks.ts'
import type { ScenarioReleaseRules } from '../scenarios/scenario.ts'

type RowSpec = NonNullable<ProductManifest['rows']>

export type RowRelease =
  | { readonly refused: 'ROW_LEVEL_NOT_APPROVED' }
  | {
      readonly rows: readonly Readonly<Record<string, unknown>>[]
      readonly withheld: number
      /** Identifiers released as `unit` (identifier scans let exactly these through). */
      readonly identifiers: readonly string[]
      /** The units of the released rows, by position (for the audit across releases). */
      readonly units: readonly number[]
    }

export function releaseRows(o: {
  readonly spec: RowSpec
  readonly rows: ReadonlyMap<number, Readonly<Record<string, unknown>>>
  readonly keys: readonly string[]
  readonly consumer: string
  readonly rowLevel: ScenarioReleaseRules['rowLevel']
  readonly secret: Buffer
  readonly minCount: number
}): RowRelease {
  if (o.rowLevel === null || !o.rowLevel.consumers.includes(o.consumer)) return { refused: 'ROW_LEVEL_NOT_APPROVED' }
  const identifiers = o.rowLevel.identifiers
  const groups = new Map<string, number>()
  const classOf = (row: Readonly<Record<string, unknown>>) => JSON.stringify(o.spec.quasi.map((q) => row[q] ?? null))
  for (const row of o.rows.values()) groups.set(classOf(row), (groups.get(classOf(row)) ?? 0) + 1)
  const out: { row: Record<string, unknown>; unit: number }[] = []
  let withheld = 0
  for (const [unit, row] of o.rows) {
    // k-anonymity protects pseudonymous rows from being linked back to a person; rows released
    // with the identifiers the operator approved name their units already
    if (!identifiers && o.spec.quasi.length > 0 && groups.get(classOf(row))! < o.minCount) {
      withheld++
      continue
    }
    const key = o.keys[unit]!
    out.push({ unit, row: { unit: identifiers ? key : pseudonym(o.secret, `${o.consumer}\u0000${key}`), ...row } })
  }
  out.sort((a, b) => (String(a.row.unit) < String(b.row.unit) ? -1 : 1))
  return {
    rows: out.map((r) => r.row),
    withheld,
    identifiers: identifiers ? out.map((r) => String(r.row.unit)) : [],
    units: out.map((r) => r.unit),
  }
}
