/**
 * One-field features of the entities a product is about, computed by SQL on the raw store from the
 * tables and fields its scenario reads: what a single-field rule (single-field-rule.ts) may threshold.
 * Every feature reads one field of one table (or a table's row count), aggregated per entity over
 * the rows whose scenario key is that entity:
 *
 * - a table's rows (0 where the entity has none);
 * - a number or date (dates as days): sum (0 without rows), mean, min, max, first and last (in the
 *   order of `period` or `year` where the table has one), how many values and how many blanks;
 * - a monthly number (a table with `period`): its value in each month, the ratio of any month to
 *   any other among the last twelve (December / January, say), and its sum over the last 3, 6 and
 *   12 months;
 * - a closed-list or few-valued text (at most 24 values): the rows holding each value, and whether
 *   the last row holds it; any other text: how many distinct values; `period`: how many months, the
 *   first and the last.
 *
 * Values the entity does not have (a mean without rows, a month without a reading) are NaN: the
 * rule decides where they go.
 */
import type { ScenarioRequest } from 'indomain/sdk'
import type { Catalog } from '../../catalog/load-catalog.ts'
import { quoteIdentifier } from '../../runtime/store/index.ts'
import type { SampleStore } from './sample-store.ts'

/** One scenario table as the features read it: rows linked to the entity by `key`, and the fields the scenario asked for. */
export type FeatureSource = { readonly table: string; readonly key: string; readonly fields: readonly string[] }

/** Per feature name, its value for each of `entities` (in their order), NaN where the entity has none. */
export type FeatureSet = { readonly entities: readonly string[]; readonly features: ReadonlyMap<string, Float64Array> }

const FEW_VALUES = 24
const RATIO_MONTHS = 12
const WINDOWS = [3, 6, 12] as const

/** The scenario's tables, each keyed by its declared key or else its catalog key (the unit table of a batch product). */
export function featureSources(scenario: ScenarioRequest, catalog: Catalog): FeatureSource[] {
  return Object.entries(scenario.tables).map(([table, request]) => {
    const definition = catalog.table(table)
    if (definition === undefined) throw new TypeError(`no catalog table ${table}`)
    const key = request.key ?? definition.key[0]!
    return { table, key, fields: Object.keys(request.fields).filter((f) => f !== key) }
  })
}

/** Every one-field feature of `entities` from `sources`, on one store. */
export async function loadSingleFieldFeatures(sample: SampleStore, sources: readonly FeatureSource[], entities: readonly string[]): Promise<FeatureSet> {
  const index = new Map(entities.map((e, i) => [e, i]))
  const features = new Map<string, Float64Array>()
  for (const source of sources) {
    for (const [name, values] of await tableFeatures(sample, source, index)) features.set(name, values)
    for (const [name, values] of await monthlyFeatures(sample, source, index)) features.set(name, values)
  }
  return { entities, features }
}

type Aggregate = { readonly name: string; readonly sql: string; readonly absent: number }

async function tableFeatures(sample: SampleStore, source: FeatureSource, index: ReadonlyMap<string, number>): Promise<Map<string, Float64Array>> {
  const definition = sample.catalog.table(source.table)!
  const columns = new Set(definition.fields.map((f) => f.name))
  const order = columns.has('period') ? 'period' : columns.has('year') ? 'year' : undefined
  const values: string[] = []
  const bind = (value: string) => {
    values.push(value)
    return `$${values.length}`
  }
  const aggregates: Aggregate[] = [{ name: `${source.table}: rows`, sql: 'count(*)', absent: 0 }]
  const few = await fewValues(sample, source)
  for (const field of source.fields) {
    const type = definition.fields.find((f) => f.name === field)?.type
    if (type === undefined) throw new TypeError(`no field ${source.table}.${field}`)
    const f = quoteIdentifier(field)
    const name = `${source.table}.${field}`
    aggregates.push({ name: `${name}: blanks`, sql: `count(*) - count(${f})`, absent: 0 })
    if (type === 'integer' || type === 'decimal' || type === 'date' || type === 'timestamp') {
      const x = type === 'date' || type === 'timestamp' ? `(epoch(${f}) / 86400)` : `CAST(${f} AS DOUBLE)`
      aggregates.push(
        { name: `${name}: values`, sql: `count(${f})`, absent: 0 },
        { name: `${name}: sum`, sql: `coalesce(sum(${x}), 0)`, absent: 0 },
        { name: `${name}: mean`, sql: `avg(${x})`, absent: Number.NaN },
        { name: `${name}: min`, sql: `min(${x})`, absent: Number.NaN },
        { name: `${name}: max`, sql: `max(${x})`, absent: Number.NaN },
      )
      if (order !== undefined && order !== field) {
        aggregates.push(
          { name: `${name}: first`, sql: `arg_min(${x}, ${quoteIdentifier(order)})`, absent: Number.NaN },
          { name: `${name}: last`, sql: `arg_max(${x}, ${quoteIdentifier(order)})`, absent: Number.NaN },
        )
      }
    } else if (type === 'boolean') {
      aggregates.push({ name: `${name}: true`, sql: `count(*) FILTER (WHERE ${f})`, absent: 0 })
    } else if (field === 'period') {
      const month = `(TRY_CAST(substr(${f}, 1, 4) AS INTEGER) * 12 + TRY_CAST(substr(${f}, 5, 2) AS INTEGER))`
      aggregates.push(
        { name: `${name}: months`, sql: `count(DISTINCT ${f})`, absent: 0 },
        { name: `${name}: first month`, sql: `min(${month})`, absent: Number.NaN },
        { name: `${name}: last month`, sql: `max(${month})`, absent: Number.NaN },
      )
    } else if (few.has(field)) {
      for (const value of few.get(field)!) {
        const v = bind(value)
        aggregates.push({ name: `${name} = ${value}: rows`, sql: `count(*) FILTER (WHERE ${f} = ${v})`, absent: 0 })
        if (order !== undefined) aggregates.push({ name: `${name}: last = ${value}`, sql: `CAST(arg_max(${f}, ${quoteIdentifier(order)}) = ${v} AS INTEGER)`, absent: Number.NaN })
      }
    } else {
      aggregates.push({ name: `${name}: distinct`, sql: `count(DISTINCT ${f})`, absent: 0 })
    }
  }
  const key = quoteIdentifier(source.key)
  const rows = await sample.storeRows(
    `SELECT ${key} AS entity, ${aggregates.map((a, i) => `CAST(${a.sql} AS DOUBLE) AS c${i}`).join(', ')}
     FROM ${quoteIdentifier(source.table)} WHERE ${key} IS NOT NULL GROUP BY 1`,
    values,
  )
  const features = new Map(aggregates.map((a) => [a.name, new Float64Array(index.size).fill(a.absent)]))
  for (const row of rows) {
    const i = index.get(String(row.entity))
    if (i === undefined) continue
    aggregates.forEach((a, c) => (features.get(a.name)![i] = toNumber(row[`c${c}`])))
  }
  return features
}

/** Closed-list fields with their list, and text fields with at most FEW_VALUES distinct values with theirs. */
async function fewValues(sample: SampleStore, source: FeatureSource): Promise<Map<string, string[]>> {
  const definition = sample.catalog.table(source.table)!
  const few = new Map<string, string[]>()
  const open: string[] = []
  for (const field of source.fields) {
    const f = definition.fields.find((d) => d.name === field)
    if (f?.type !== 'text' || field === 'period') continue
    if (f.values !== undefined) few.set(field, [...f.values])
    else open.push(field)
  }
  if (open.length === 0) return few
  const table = quoteIdentifier(source.table)
  const [counts] = await sample.storeRows(`SELECT ${open.map((f, i) => `count(DISTINCT ${quoteIdentifier(f)}) AS c${i}`).join(', ')} FROM ${table}`)
  for (const [i, field] of open.entries()) {
    if (Number(counts![`c${i}`]) > FEW_VALUES) continue
    const rows = await sample.storeRows(`SELECT DISTINCT CAST(${quoteIdentifier(field)} AS VARCHAR) AS v FROM ${table} WHERE ${quoteIdentifier(field)} IS NOT NULL ORDER BY 1`)
    few.set(field, rows.map((r) => String(r.v)))
  }
  return few
}

/** Per month values, ratios of months and sums over the last months, of each number of a table with `period`. */
async function monthlyFeatures(sample: SampleStore, source: FeatureSource, index: ReadonlyMap<string, number>): Promise<Map<string, Float64Array>> {
  const definition = sample.catalog.table(source.table)!
  const numbers = source.fields.filter((field) => ['integer', 'decimal'].includes(definition.fields.find((f) => f.name === field)?.type ?? ''))
  const features = new Map<string, Float64Array>()
  if (!source.fields.includes('period') || numbers.length === 0) return features
  const key = quoteIdentifier(source.key)
  const rows = await sample.storeRows(
    `SELECT ${key} AS entity, period, ${numbers.map((f, i) => `CAST(sum(${quoteIdentifier(f)}) AS DOUBLE) AS c${i}`).join(', ')}
     FROM ${quoteIdentifier(source.table)} WHERE ${key} IS NOT NULL AND regexp_full_match(period, '\\d{6}') GROUP BY 1, 2`,
  )
  const months = [...new Set(rows.map((r) => String(r.period)))].sort()
  const column = new Map(months.map((m, i) => [m, i]))
  const n = index.size
  for (const [c, field] of numbers.entries()) {
    const name = `${source.table}.${field}`
    // entity × month, NaN where the entity has no reading that month
    const grid = new Float64Array(n * months.length).fill(Number.NaN)
    for (const row of rows) {
      const i = index.get(String(row.entity))
      if (i !== undefined) grid[i * months.length + column.get(String(row.period))!] = toNumber(row[`c${c}`])
    }
    const at = (i: number, m: number) => grid[i * months.length + m]!
    for (const [m, month] of months.entries()) features.set(`${name} in ${month}`, Float64Array.from({ length: n }, (_, i) => at(i, m)))
    const last = months.length - Math.min(RATIO_MONTHS, months.length)
    for (let a = last; a < months.length; a++) {
      for (let b = last; b < months.length; b++) {
        if (a !== b) features.set(`${name} in ${months[a]} / ${months[b]}`, Float64Array.from({ length: n }, (_, i) => ratio(at(i, a), at(i, b))))
      }
    }
    for (const w of WINDOWS) {
      if (w > months.length) continue
      features.set(
        `${name}: last ${w} months`,
        Float64Array.from({ length: n }, (_, i) => {
          let sum = 0
          for (let m = months.length - w; m < months.length; m++) sum += Number.isNaN(at(i, m)) ? 0 : at(i, m)
          return sum
        }),
      )
    }
  }
  return features
}

function ratio(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || (a === 0 && b === 0)) return Number.NaN
  return a / b
}

function toNumber(value: unknown): number {
  return value === null || value === undefined ? Number.NaN : Number(value)
}
