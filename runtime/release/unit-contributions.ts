/**
 * A batch product's `classify` results, read as untrusted data against its declaration: each
 * unit's contributions to the declared aggregates (cell keys in the declared dimensions, values
 * bounded), and its row for a row-level release. Anything undeclared, out of bounds or malformed
 * ends the run (ERR_SANDBOX_INVALID_OUTPUT, blame partner), with what is wrong — paths and fixed
 * text, never values — for the partner's diagnostics only.
 */
import type { ProductManifest } from '../products/manifest.ts'
import { compilePattern } from '../products/check-value.ts'
import { SandboxError } from '../sandbox/sandbox-error.ts'

type Aggregates = NonNullable<ProductManifest['aggregates']>
type AggregateSpec = Aggregates[string]
type Dimension = AggregateSpec['by'][string]
type Measure = NonNullable<AggregateSpec['measures']>[string]
type RowSpec = NonNullable<ProductManifest['rows']>

/** One contribution: the unit, its cell's dimension values (labels), and its values per measure (clamped). */
export type UnitContribution = { readonly unit: number; readonly key: readonly string[]; readonly values: Readonly<Record<string, number>> }

export type ParsedContributions = {
  /** Per aggregate, every contribution. */
  readonly aggregates: ReadonlyMap<string, readonly UnitContribution[]>
  /** Units with a row (row-level release), by unit position. */
  readonly rows: ReadonlyMap<number, Readonly<Record<string, unknown>>>
}

/** The band label of a number among ascending edges: `<a`, `a-b`, `>=z`. */
export function bandOf(value: number, edges: readonly number[]): string {
  if (value < edges[0]!) return `<${edges[0]}`
  for (let i = 1; i < edges.length; i++) if (value < edges[i]!) return `${edges[i - 1]}-${edges[i]}`
  return `>=${edges[edges.length - 1]}`
}

/** Every label a closed dimension can take, or undefined for an open (pattern) one. */
export function domainOf(d: Dimension): readonly string[] | undefined {
  if ('values' in d) return d.values
  if ('edges' in d) {
    const labels = [`<${d.edges[0]}`]
    for (let i = 1; i < d.edges.length; i++) labels.push(`${d.edges[i - 1]}-${d.edges[i]}`)
    labels.push(`>=${d.edges[d.edges.length - 1]}`)
    return labels
  }
  return undefined
}

function dimensionLabel(d: Dimension, value: unknown): string | undefined {
  if ('values' in d) return typeof value === 'string' && d.values.includes(value) ? value : undefined
  if ('edges' in d) return typeof value === 'number' && Number.isFinite(value) ? bandOf(value, d.edges) : undefined
  if (typeof value !== 'string' || value.length === 0 || value.length > d.maxLength) return undefined
  return compilePattern(d.pattern).matcher(value).matches() ? value : undefined
}

export function boundsOf(m: Measure): { min: number; max: number } {
  return 'sum' in m ? m.sum : 'mean' in m ? m.mean : 'min' in m ? m.min : 'max' in m ? m.max : 'quantile' in m ? m.quantile : m.regression
}

/** The values a contribution may give: the measures, and the regressors of regression measures (bounded like their measure). */
function valueBounds(spec: AggregateSpec): Map<string, { min: number; max: number }> {
  const out = new Map<string, { min: number; max: number }>()
  for (const [name, m] of Object.entries(spec.measures ?? {})) {
    out.set(name, boundsOf(m))
    if ('regression' in m) for (const x of m.regression.x) out.set(x, boundsOf(m))
  }
  return out
}

function fail(problem: string): never {
  throw new SandboxError('ERR_SANDBOX_INVALID_OUTPUT', 'A unit\'s contributions do not match the product\'s declaration', { message: problem.slice(0, 2000), logs: [] })
}

function parseContribution(spec: AggregateSpec, name: string, unit: number, raw: unknown, at: string): UnitContribution {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`${at}: a contribution is an object { by, values }`)
  const c = raw as { by?: unknown; values?: unknown }
  for (const k of Object.keys(c)) if (k !== 'by' && k !== 'values') fail(`${at}: unknown member ${k.slice(0, 40)}`)
  if (c.by === null || typeof c.by !== 'object' || Array.isArray(c.by)) fail(`${at}/by: the cell's dimension values`)
  const by = c.by as Record<string, unknown>
  const dims = Object.entries(spec.by)
  if (Object.keys(by).length !== dims.length) fail(`${at}/by: exactly the dimensions of ${name}`)
  const key = dims.map(([dim, d]) => {
    if (!Object.hasOwn(by, dim)) fail(`${at}/by/${dim}: missing`)
    const label = dimensionLabel(d, by[dim])
    if (label === undefined) fail(`${at}/by/${dim}: not a value of the declared dimension`)
    return label
  })
  const values: Record<string, number> = Object.create(null) as Record<string, number>
  const given = c.values === undefined ? {} : c.values
  if (given === null || typeof given !== 'object' || Array.isArray(given)) fail(`${at}/values: an object of numbers`)
  const bounds = valueBounds(spec)
  for (const [k, v] of Object.entries(given as Record<string, unknown>)) {
    const b = bounds.get(k)
    if (b === undefined) fail(`${at}/values/${k.slice(0, 40)}: not a declared measure`)
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${at}/values/${k}: a finite number`)
    const { min, max } = b
    // bounded contribution: clamped, not refused (the declared bounds are the product's promise)
    values[k] = Math.min(max, Math.max(min, v))
  }
  return { unit, key, values }
}

function parseRow(spec: RowSpec, raw: unknown, at: string): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`${at}: a row is an object`)
  const row = raw as Record<string, unknown>
  for (const k of Object.keys(row)) if (!Object.hasOwn(spec.fields, k)) fail(`${at}/${k.slice(0, 40)}: not a declared row field`)
  const out: Record<string, unknown> = {}
  for (const [field, f] of Object.entries(spec.fields)) {
    const v = row[field] ?? null
    const path = `${at}/${field}`
    if (v === null) out[field] = null
    else if ('values' in f) out[field] = typeof v === 'string' && f.values.includes(v) ? v : fail(`${path}: not one of the declared values`)
    else if ('pattern' in f) out[field] = typeof v === 'string' && v.length <= f.maxLength && compilePattern(f.pattern).matcher(v).matches() ? v : fail(`${path}: does not match the declared pattern`)
    else if ('boolean' in f) out[field] = typeof v === 'boolean' ? v : fail(`${path}: a boolean`)
    else if ('codes' in f) {
      const ok = Array.isArray(v) && v.length <= f.codes.length && v.every((x) => typeof x === 'string' && f.codes.includes(x)) && new Set(v).size === v.length
      out[field] = ok ? [...(v as string[])] : fail(`${path}: distinct declared codes`)
    } else out[field] = typeof v === 'number' && Number.isFinite(v) && v >= f.min && v <= f.max ? v : fail(`${path}: a number within the declared range`)
  }
  return out
}

/** Reads every unit's `classify` result (per chunk, a JSON array of units) against the manifest. */
export function parseContributions(manifest: ProductManifest, chunks: readonly string[], units: number): ParsedContributions {
  const specs = manifest.aggregates ?? {}
  const aggregates = new Map<string, UnitContribution[]>(Object.keys(specs).map((name) => [name, []]))
  const rows = new Map<number, Record<string, unknown>>()
  let unit = 0
  for (const text of chunks) {
    let list: unknown
    try {
      list = JSON.parse(text)
    } catch {
      fail('/: the contributions of a chunk of units are not JSON')
    }
    if (!Array.isArray(list)) fail('/: the contributions of a chunk of units are a list')
    for (const result of list) {
      const at = `/units/${unit}`
      if (result !== null) {
        if (typeof result !== 'object' || Array.isArray(result)) fail(`${at}: { aggregates, row } or null`)
        const r = result as { aggregates?: unknown; row?: unknown }
        for (const k of Object.keys(r)) if (k !== 'aggregates' && k !== 'row') fail(`${at}: unknown member ${k.slice(0, 40)}`)
        if (r.aggregates !== undefined) {
          if (r.aggregates === null || typeof r.aggregates !== 'object' || Array.isArray(r.aggregates)) fail(`${at}/aggregates: an object`)
          for (const [name, given] of Object.entries(r.aggregates as Record<string, unknown>)) {
            const spec = specs[name]
            if (spec === undefined) fail(`${at}/aggregates/${name.slice(0, 40)}: not a declared aggregate`)
            if (spec.from !== undefined) fail(`${at}/aggregates/${name}: computed by the runtime from the unit table (from), not by classify`)
            const list = Array.isArray(given) ? given : [given]
            if (list.length > (spec.maxCellsPerUnit ?? 1)) fail(`${at}/aggregates/${name}: more cells than maxCellsPerUnit`)
            list.forEach((c, i) => aggregates.get(name)!.push(parseContribution(spec, name, unit, c, `${at}/aggregates/${name}/${i}`)))
          }
        }
        if (r.row !== undefined && r.row !== null) {
          if (manifest.rows === undefined) fail(`${at}/row: the product declares no rows`)
          rows.set(unit, parseRow(manifest.rows, r.row, `${at}/row`))
        }
      }
      unit++
    }
  }
  if (unit !== units) fail('/: a result for every unit')
  return { aggregates, rows }
}
