/**
 * Evidence for the aggregate release rules, computed from the scenario's views — never taken
 * from the product's output: per cell (a combination of the declared group-by values) the number
 * of distinct contributors, the total of the declared magnitude and the largest contributions.
 * The output's rows are then matched to cells by their key fields.
 */
import { RuntimeError } from '../errors.ts'
import type { ProductManifest } from '../products/manifest.ts'
import type { DataGate } from '../scenarios/data-gate.ts'
import { openStore } from '../store/open-store.ts'
import { quoteIdentifier, quoteLiteral } from '../store/schema.ts'
import type { AggregateCell } from './disclosure-control.ts'

export type AggregateEvidence = {
  readonly cells: readonly AggregateCell[]
  readonly dimensions: number
  /** The cells the output releases (from its rows' key fields). */
  readonly released: readonly (readonly string[])[]
}

type Disclosure = NonNullable<ProductManifest['disclosure']>

export async function aggregateEvidence(gate: DataGate, scenarioId: string, disclosure: Disclosure, output: unknown): Promise<AggregateEvidence> {
  const tables = await gate.viewTables(scenarioId)
  const table = tables.find((t) => t.table === disclosure.table)
  const fields = new Set(table?.fields.map((f) => f.name) ?? [])
  const named = [
    ...disclosure.groupBy,
    ...(disclosure.contributor === undefined ? [] : [disclosure.contributor]),
    ...(disclosure.magnitude === undefined ? [] : [disclosure.magnitude]),
    ...(disclosure.filter === undefined ? [] : [disclosure.filter.field]),
  ]
  for (const f of named) {
    if (!fields.has(f)) throw new RuntimeError('ERR_VIEW_COLUMN_DENIED', 'The disclosure declaration names a field outside the approved scenario', { details: { table: disclosure.table, field: f } })
  }
  const groups = disclosure.groupBy.map((g) => `CAST(${quoteIdentifier(g)} AS VARCHAR)`)
  const groupNames = disclosure.groupBy.map((_, i) => `g${i}`)
  const contributor = disclosure.contributor === undefined ? 'rowid' : quoteIdentifier(disclosure.contributor)
  const magnitude = disclosure.magnitude === undefined ? '0' : `CAST(${quoteIdentifier(disclosure.magnitude)} AS DOUBLE)`
  const where =
    disclosure.filter === undefined
      ? ''
      : ` WHERE CAST(${quoteIdentifier(disclosure.filter.field)} AS VARCHAR) IN (${disclosure.filter.values.map(quoteLiteral).join(', ')})`
  const sql = `
    WITH per AS (
      SELECT ${groups.map((g, i) => `${g} AS ${groupNames[i]}`).join(', ')}, ${contributor} AS who, sum(${magnitude}) AS v
      FROM ${quoteIdentifier(disclosure.table)}${where} GROUP BY ALL)
    SELECT ${groupNames.join(', ')}, count(*) AS n, sum(v) AS total, list(v ORDER BY v DESC)[1:3] AS top
    FROM per GROUP BY ALL`
  const store = await openStore(await gate.views(scenarioId), { access: 'read-only' })
  let rows: unknown[][]
  try {
    rows = (await store.connection.runAndReadAll(sql)).getRowsJS() as unknown[][]
  } finally {
    store.close()
  }
  const dimensions = disclosure.groupBy.length
  const cells: AggregateCell[] = rows.map((r) => {
    const key = r.slice(0, dimensions).map((v) => (v === null ? '' : String(v)))
    const count = Number(r[dimensions])
    return disclosure.magnitude === undefined
      ? { key, count }
      : { key, count, total: Number(r[dimensions + 1]), top: (r[dimensions + 2] as number[]).map(Number) }
  })
  const list = (output as Record<string, unknown> | null)?.[disclosure.rows]
  const released = Array.isArray(list)
    ? list.map((row) => disclosure.keys.map((k) => String((row as Record<string, unknown> | null)?.[k] ?? '')))
    : []
  return { cells, dimensions, released }
}
