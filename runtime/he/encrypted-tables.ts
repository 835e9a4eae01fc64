/**
 * A batch product's declared encrypted aggregates, computed for one run and handed to the product
 * as tables under their names (group, count, sum, mean, suppressed). The scenario decides what
 * may be touched: the encrypted field and the join field must be approved, and the group field
 * approved unmasked (its values become the groups the product sees). The scenario's row filter on
 * the encrypted table applies.
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import { RuntimeError } from '../errors.ts'
import type { ProductManifest } from '../products/manifest.ts'
import type { SigningKey } from '../release/key-store.ts'
import type { WireTable } from '../sandbox/wire.ts'
import type { Scenario } from '../scenarios/scenario.ts'
import { openStore } from '../store/open-store.ts'
import { encryptedAggregate, type DecryptionClient } from './encrypted-aggregate.ts'
import type { PublicKeys } from './he-keys.ts'
import type { GroupedSum, GroupedSumRequest } from './grouped-sum.ts'

export type HeRuntime = {
  readonly storePath: string
  readonly catalog: Catalog
  readonly keys: PublicKeys
  readonly signingKey: () => SigningKey
  readonly decrypt: DecryptionClient
  /** The grouped-sum evaluation, off the event loop when serving. */
  readonly sum?: (request: GroupedSumRequest) => Promise<GroupedSum>
  /** The release policy's minimum cell count and dominance share. */
  readonly minCount: number
  readonly dominanceShare: number
}

function approvedMask(scenario: Scenario, table: string, field: string): string | undefined {
  const f = scenario.fields.find((x) => x.table === table && x.field === field)
  return f?.decision === 'approved' ? f.mask.rule : undefined
}

export async function encryptedTables(
  he: HeRuntime | undefined,
  scenario: Scenario,
  manifest: ProductManifest,
  run: { readonly id: string; readonly consumer: string },
): Promise<Map<string, WireTable>> {
  const declared = Object.entries(manifest.encrypted ?? {})
  const out = new Map<string, WireTable>()
  if (declared.length === 0) return out
  if (he === undefined) throw new RuntimeError('ERR_HE_UNAVAILABLE', 'This runtime has no homomorphic keys: encrypted aggregates are unavailable')
  const store = await openStore(he.storePath, { access: 'read-only' })
  try {
    for (const [name, e] of declared) {
      const denied = (table: string, field: string) => new RuntimeError('ERR_VIEW_COLUMN_DENIED', 'The encrypted aggregate uses a field the scenario did not approve as needed', { details: { table, field } })
      if (approvedMask(scenario, e.table, e.field) === undefined) throw denied(e.table, e.field)
      if (approvedMask(scenario, e.by.table, e.by.field) !== 'keep') throw denied(e.by.table, e.by.field)
      if (e.by.via !== undefined && approvedMask(scenario, e.table, e.by.via) === undefined) throw denied(e.table, e.by.via)
      const filter = scenario.rowFilters[e.table]
      const groupFilter = e.by.table === e.table ? undefined : scenario.rowFilters[e.by.table]
      const groups = await encryptedAggregate(
        { store: store.connection, catalog: he.catalog, keys: he.keys, signingKey: he.signingKey(), decrypt: he.decrypt, ...(he.sum === undefined ? {} : { sum: he.sum }) },
        {
          table: e.table,
          field: e.field,
          by: e.by,
          ops: e.ops,
          release: { id: run.id, product: manifest.id, consumer: run.consumer },
          minCount: he.minCount,
          dominanceShare: he.dominanceShare,
          ...(filter === undefined ? {} : { rowFilter: filter }),
          ...(groupFilter === undefined ? {} : { groupFilter }),
        },
      )
      const number = (pick: (g: (typeof groups)[number]) => string | number | undefined) =>
        ({ kind: 'number', values: Float64Array.from(groups, (g) => { const v = pick(g); return v === undefined ? Number.NaN : Number(v) }) }) as const
      const text = (values: string[]) => {
        const dictionary = [...new Set(values)]
        return { kind: 'text', codes: Int32Array.from(values, (v) => dictionary.indexOf(v)), dictionary } as const
      }
      out.set(name, {
        length: groups.length,
        columns: {
          group: text(groups.map((g) => g.group)),
          count: number((g) => ('count' in g ? g.count : undefined)),
          sum: number((g) => ('sum' in g ? g.sum : undefined)),
          mean: number((g) => ('mean' in g ? g.mean : undefined)),
          suppressed: text(groups.map((g) => ('suppressed' in g ? g.suppressed : ''))),
        },
      })
    }
    return out
  } finally {
    store.close()
  }
}
