/**
 * A declared aggregate (`from` in the manifest), computed by the runtime in DuckDB over the unit
 * table's masked view: no partner code runs per unit. The query groups the rows by unit first
 * (each unit once per cell, its values combined and clamped to the declared bounds, at most
 * `maxCellsPerUnit` cells per unit), then by cell, and returns per cell what the disclosure rules
 * need (counts, totals, the largest magnitudes, extremes and how many share them, quantiles and how
 * many lie on each side) and the ids of its units for the audit across releases. The rules
 * themselves are applied by protect-aggregate.ts, the same as for cells reduced from `classify`.
 *
 * Every name in the SQL is the manifest's (checked against the approved fields) or the runtime's;
 * every value is a quoted literal or a bound parameter.
 */
import type { ProductManifest } from '../products/manifest.ts'
import { compilePattern } from '../products/check-value.ts'
import { RuntimeError } from '../errors.ts'
import type { UnitView } from '../scenarios/data-gate.ts'
import type { ViewTable } from '../scenarios/materialize.ts'
import { quoteIdentifier, quoteLiteral } from '../store/schema.ts'
import type { CellSummary, MeasureSummary } from './protect-aggregate.ts'
import { boundsOf, domainOf } from './unit-contributions.ts'
import { UNIT_COLUMN } from './unit-ids.ts'

type AggregateSpec = NonNullable<ProductManifest['aggregates']>[string]
type Source = NonNullable<AggregateSpec['from']>
type Filter = NonNullable<Source['where']>[string]

function fieldOf(view: ViewTable, name: string): ViewTable['fields'][number] {
  const f = view.fields.find((x) => x.name === name)
  if (f === undefined) throw new RuntimeError('ERR_VIEW_COLUMN_DENIED', 'A declared aggregate reads a field outside the approved scenario', { details: { table: view.table, field: name } })
  return f
}

const isNumeric = (f: ViewTable['fields'][number]) => f.definition.type === 'integer' || f.definition.type === 'decimal'

function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new RuntimeError('ERR_PARAMS_INVALID', 'A filter bound is not a finite number')
  return `CAST(${String(n)} AS DOUBLE)`
}

/** A list of values as an SQL `IN` over the field: numbers compare as numbers on a numeric field, everything else as text. */
function inList(column: string, numeric: boolean, values: readonly unknown[]): string {
  const usable = values.filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
  if (usable.length === 0) return 'FALSE'
  if (numeric && usable.every((v) => typeof v === 'number')) return `CAST(${column} AS DOUBLE) IN (${usable.map((v) => numberLiteral(v as number)).join(', ')})`
  return `CAST(${column} AS VARCHAR) IN (${usable.map((v) => quoteLiteral(String(v))).join(', ')})`
}

function filterSql(view: ViewTable, field: string, filter: Filter, input: Readonly<Record<string, unknown>>): string {
  const f = fieldOf(view, field)
  const column = `t.${quoteIdentifier(field)}`
  if ('in' in filter) return inList(column, isNumeric(f), filter.in)
  if ('input' in filter) {
    const given = input[filter.input]
    return inList(column, isNumeric(f), Array.isArray(given) ? given : given === undefined || given === null ? [] : [given])
  }
  const parts: string[] = []
  if (filter.min !== undefined) parts.push(`CAST(${column} AS DOUBLE) >= ${numberLiteral(filter.min)}`)
  if (filter.max !== undefined) parts.push(`CAST(${column} AS DOUBLE) <= ${numberLiteral(filter.max)}`)
  return parts.join(' AND ')
}

/**
 * A dimension's cell label from its field, the condition for a row to be in one of its cells, and
 * for a closed dimension the label's position in its domain (0-based).
 */
function dimensionSql(view: ViewTable, field: string, d: AggregateSpec['by'][string]): { label: string; keep: string; position?: string } {
  const f = fieldOf(view, field)
  const column = `t.${quoteIdentifier(field)}`
  if ('edges' in d) {
    if (!isNumeric(f)) throw new RuntimeError('ERR_PRODUCT_INVALID', 'A banded dimension reads a numeric field', { details: { field } })
    const labels = domainOf(d)!
    const x = `CAST(${column} AS DOUBLE)`
    const cases = (value: (i: number) => string) => `CASE ${d.edges.map((e, i) => `WHEN ${x} < ${numberLiteral(e)} THEN ${value(i)}`).join(' ')} ELSE ${value(d.edges.length)} END`
    return { label: cases((i) => quoteLiteral(labels[i]!)), keep: `${column} IS NOT NULL`, position: cases(String) }
  }
  const text = `CAST(${column} AS VARCHAR)`
  if ('values' in d) {
    const position = `list_position([${d.values.map(quoteLiteral).join(', ')}], ${text})`
    return { label: text, keep: `${position} IS NOT NULL`, position: `(${position} - 1)` }
  }
  return { label: text, keep: `${column} IS NOT NULL AND length(${text}) BETWEEN 1 AND ${d.maxLength}` }
}

/** The statements of one declared aggregate: per unit and cell, then per cell, then the cells' figures and their members. */
type DeclaredStatements = { readonly perUnit: string; readonly cells: string; readonly figures: string; readonly members: string; readonly drop: readonly string[] }

function declaredStatements(spec: AggregateSpec, unitView: Omit<UnitView, 'connection'>, input: unknown, topCount: number): DeclaredStatements {
  const { view, keys, unique } = unitView
  const from = spec.from
  if (from === undefined) throw new RuntimeError('ERR_INTERNAL', 'Not a declared aggregate')
  const given = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {}
  const dims = Object.entries(spec.by)
  const d = dims.map((_, i) => `d${i}`)
  const measures = Object.entries(spec.measures ?? {})
  const v = measures.map((_, j) => `v${j}`)

  const selects = [`k.${UNIT_COLUMN} AS u`]
  const where = [`k.${UNIT_COLUMN} IS NOT NULL`]
  // with every dimension closed, a row's cell is its position in the grid (the labels follow from it)
  const domains = dims.map(([, dimension]) => domainOf(dimension))
  const closed = domains.every((x) => x !== undefined)
  const positions: string[] = []
  dims.forEach(([dim, dimension], i) => {
    const { label, keep, position } = dimensionSql(view, from.by[dim]!, dimension)
    if (closed) positions.push(position!)
    else selects.push(`${label} AS ${d[i]}`)
    where.push(keep)
  })
  if (closed) {
    let stride = 1
    const terms: string[] = []
    for (let i = dims.length - 1; i >= 0; i--) {
      terms.unshift(`${positions[i]} * ${stride}`)
      stride *= domains[i]!.length
    }
    selects.push(`CAST(${terms.length > 0 ? terms.join(' + ') : '0'} AS INTEGER) AS cell`)
  }
  measures.forEach(([name], j) => {
    const f = fieldOf(view, from.values![name]!)
    if (!isNumeric(f)) throw new RuntimeError('ERR_PRODUCT_INVALID', 'A measure reads a numeric field', { details: { field: f.name } })
    selects.push(`CAST(t.${quoteIdentifier(f.name)} AS DOUBLE) AS ${v[j]}`)
  })
  for (const [field, filter] of Object.entries(from.where ?? {})) where.push(`(${filterSql(view, field, filter, given)})`)

  // per unit and cell: values combined as classify's contributions are, then clamped
  const perUnit = measures.map(([, m], j) => {
    const { min, max } = boundsOf(m)
    const combined = unique ? v[j]! : 'max' in m ? `max(${v[j]})` : 'min' in m || 'quantile' in m ? `min(${v[j]})` : `sum(${v[j]})`
    // a unit without a value stays without one: DuckDB's greatest/least pass over NULL, which
    // would clamp a missing value to the bound and count it
    return `CASE WHEN ${combined} IS NULL THEN NULL ELSE least(${numberLiteral(max)}, greatest(${numberLiteral(min)}, ${combined})) END AS ${v[j]}`
  })
  const cellColumns: string[] = []
  const shareColumns: string[] = []
  measures.forEach(([, m], j) => {
    const x = v[j]!
    cellColumns.push(`count(${x}) AS n${j}`)
    if ('sum' in m || 'mean' in m) {
      // exact sums (decimal), so that the same data gives the same figures whatever the parallel order
      const exact = (e: string) => `CAST(sum(CAST(${e} AS DECIMAL(38, 8))) AS DOUBLE)`
      cellColumns.push(`${exact(x)} AS t${j}`, `${exact(`abs(${x})`)} AS m${j}`, `max(abs(${x}), ${topCount}) AS top${j}`, `${exact(`floor(${x} + 0.5)`)} AS r${j}`)
    } else {
      const value = 'min' in m ? `min(${x})` : 'max' in m ? `max(${x})` : `list_sort(list(${x}) FILTER (WHERE ${x} IS NOT NULL))[greatest(1, CAST(ceil(${(m as { quantile: { q: number } }).quantile.q} * count(${x})) AS BIGINT))]`
      cellColumns.push(`${value} AS x${j}`)
      shareColumns.push(`count_if(p.${x} = c.x${j}) AS s${j}`, `count_if(p.${x} <= c.x${j}) AS b${j}`, `count_if(p.${x} >= c.x${j}) AS a${j}`)
    }
  })
  const groupDims = closed ? ', cell' : d.length > 0 ? `, ${d.join(', ')}` : ''
  const join = closed ? 'p.cell = c.cell' : d.length > 0 ? d.map((x) => `p.${x} = c.${x}`).join(' AND ') : 'TRUE'
  const maxCells = spec.maxCellsPerUnit ?? 1
  const source = `SELECT ${selects.join(', ')} FROM ${quoteIdentifier(view.table)} t POSITIONAL JOIN ${quoteIdentifier(keys)} k WHERE ${where.join(' AND ')}`
  // one row per unit: no grouping by unit (each unit is in one cell at most)
  const perUnitSql = unique
    ? `CREATE OR REPLACE TEMP TABLE declared_per AS SELECT u${groupDims}${perUnit.length > 0 ? `, ${perUnit.join(', ')}` : ''} FROM (${source})`
    : `CREATE OR REPLACE TEMP TABLE declared_per AS
    SELECT u${groupDims}${perUnit.length > 0 ? `, ${perUnit.join(', ')}` : ''}
    FROM (${source})
    GROUP BY u${groupDims}
    QUALIFY row_number() OVER (PARTITION BY u ORDER BY ${closed ? 'cell' : d.length > 0 ? d.join(', ') : 'u'}) <= ${maxCells}`
  const aggregated = `count(*) AS n${cellColumns.length > 0 ? `, ${cellColumns.join(', ')}` : ''}`
  const cellsSql = closed
    ? `CREATE OR REPLACE TEMP TABLE declared_cells AS SELECT cell, ${aggregated} FROM declared_per GROUP BY cell`
    : `CREATE OR REPLACE TEMP TABLE declared_cells AS
    SELECT CAST(row_number() OVER (ORDER BY ${d.length > 0 ? d.join(', ') : 'n'}) - 1 AS INTEGER) AS cell, *
    FROM (SELECT ${d.length > 0 ? `${d.join(', ')}, ` : ''}${aggregated} FROM declared_per${d.length > 0 ? ` GROUP BY ${d.join(', ')}` : ''})`
  const figures =
    shareColumns.length === 0
      ? `SELECT * FROM declared_cells ORDER BY cell`
      : `SELECT c.*, s.* EXCLUDE (cell) FROM declared_cells c JOIN (SELECT c.cell, ${shareColumns.join(', ')} FROM declared_per p JOIN declared_cells c ON ${join} GROUP BY c.cell) s USING (cell) ORDER BY cell`
  const members = closed ? `SELECT cell, u FROM declared_per` : `SELECT c.cell, p.u FROM declared_per p JOIN declared_cells c ON ${join}`
  return { perUnit: perUnitSql, cells: cellsSql, figures, members, drop: ['DROP TABLE IF EXISTS declared_per', 'DROP TABLE IF EXISTS declared_cells'] }
}

const num = (x: unknown): number => (x === null || x === undefined ? NaN : Number(x))

/**
 * Computes one declared aggregate on `connection` (the scenario's views, read-only): its cells as
 * the rules need them, with the ids of their units. Keys outside an open dimension's pattern are
 * dropped.
 */
export async function computeDeclaredAggregate(unitView: UnitView, spec: AggregateSpec, input: unknown, topCount: number): Promise<CellSummary<number>[]> {
  const { connection } = unitView
  const statements = declaredStatements(spec, unitView, input, topCount)
  try {
    await connection.run(statements.perUnit)
    await connection.run(statements.cells)
    const rows = (await connection.runAndReadAll(statements.figures)).getRowObjectsJS() as Record<string, unknown>[]
    const members = rows.map(() => [] as number[])
    // cells by their number (a grid position, or a rank among occupied cells)
    const byCell = new Map(rows.map((row, i) => [Number(row.cell), members[i]!]))
    const stream = await connection.stream(statements.members)
    for (;;) {
      const chunk = await stream.fetchChunk()
      if (chunk === null || chunk.rowCount === 0) break
      const cells = chunk.getColumnValues(0)
      const units = chunk.getColumnValues(1)
      for (let i = 0; i < cells.length; i++) byCell.get(cells[i] as number)!.push(units[i] as number)
    }
    return summariesOf(spec, rows, members)
  } finally {
    for (const sql of statements.drop) await connection.run(sql)
  }
}

function summariesOf(spec: AggregateSpec, rows: readonly Readonly<Record<string, unknown>>[], members: readonly number[][]): CellSummary<number>[] {
  const dims = Object.values(spec.by)
  const patterns = dims.map((dim) => ('pattern' in dim ? compilePattern(dim.pattern) : undefined))
  const measures = Object.entries(spec.measures ?? {})
  const out: CellSummary<number>[] = []
  const domains = dims.map(domainOf)
  const closed = domains.every((x) => x !== undefined)
  /** The labels of a grid position: the first dimension varies slowest (as the grid is listed). */
  const labelsAt = (cell: number): string[] => {
    const key: string[] = []
    for (let i = dims.length - 1; i >= 0; i--) {
      const domain = domains[i]!
      key.unshift(domain[cell % domain.length]!)
      cell = Math.floor(cell / domain.length)
    }
    return key
  }
  rows.forEach((row, index) => {
    const key = closed ? labelsAt(Number(row.cell)) : dims.map((_, i) => String(row[`d${i}`]))
    if (patterns.some((p, i) => p !== undefined && !p.matcher(key[i]!).matches())) return
    const summaries: Record<string, MeasureSummary> = {}
    measures.forEach(([name, m], j) => {
      const n = num(row[`n${j}`])
      if (!(n > 0)) return
      if ('sum' in m || 'mean' in m) {
        summaries[name] = { kind: 'total', n, total: num(row[`t${j}`]), magnitude: num(row[`m${j}`]), top: (row[`top${j}`] as unknown[]).map(num), rounded: num(row[`r${j}`]) }
      } else if ('quantile' in m) {
        summaries[name] = { kind: 'quantile', n, value: num(row[`x${j}`]), below: num(row[`b${j}`]), above: num(row[`a${j}`]) }
      } else {
        summaries[name] = { kind: 'extreme', n, value: num(row[`x${j}`]), sharing: num(row[`s${j}`]) }
      }
    })
    out.push({ key, units: members[index]!, measures: summaries })
  })
  return out
}

/** The ids of every unit of the unit table: the population a batch run scans. */
export async function populationOf({ connection, keys, unique }: UnitView): Promise<number[]> {
  const out: number[] = []
  const stream = await connection.stream(`SELECT ${unique ? '' : 'DISTINCT '}${UNIT_COLUMN} FROM ${quoteIdentifier(keys)} WHERE ${UNIT_COLUMN} IS NOT NULL`)
  for (;;) {
    const chunk = await stream.fetchChunk()
    if (chunk === null || chunk.rowCount === 0) break
    for (const u of chunk.getColumnValues(0)) out.push(u as number)
  }
  return out
}
