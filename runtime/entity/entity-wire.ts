/**
 * How one entity's rows travel to the sandbox: per table, column by column, text dictionary-coded
 * for this entity alone. An enterprise with thousands of social-insurance rows repeats a few dozen
 * periods and three statuses; as rows of JSON it was ~65 KB built cell by cell on the host, as
 * columns it is a fraction of that, built from the index's codes without a row object. The
 * prelude (runtime/sandbox/isolate-prelude.ts) turns it back into rows on a table's first use.
 */
import type { WireColumn } from '../sandbox/wire.ts'
import { cellValue } from '../store/read-columns.ts'
import type { EntityRows } from '../products/run-product.ts'

/** A scratch slot's value between calls. */
export const UNSEEN = -2

/** Values as they are (`n`: numbers, null for none); text and dates as a local dictionary and codes (`d`, `c`; -1: none). */
export type EntityWireColumn = { readonly n: readonly (number | string | boolean | null)[] } | { readonly d: readonly string[]; readonly c: readonly number[] }
export type EntityWireTable = { readonly columns: readonly string[]; readonly length: number; readonly values: Readonly<Record<string, EntityWireColumn>> }
export type EntityWire = Readonly<Record<string, EntityWireTable>>

/**
 * One column's cells at the given rows of the index's columns. A text column's global codes are
 * re-coded through `scratch` (at least one slot per dictionary entry, all UNSEEN between calls),
 * which is cheaper than a map at thousands of rows; dates go through a map.
 */
export function encodeColumn(column: WireColumn, rowIds: ArrayLike<number>, from: number, to: number, scratch?: Int32Array): EntityWireColumn {
  if (column.kind === 'number') {
    const n: (number | null)[] = []
    for (let j = from; j < to; j++) {
      const v = column.values[rowIds[j]!]!
      n.push(Number.isNaN(v) ? null : v)
    }
    return { n }
  }
  if (column.kind === 'text' && scratch !== undefined && scratch.length >= column.dictionary.length) {
    const d: string[] = []
    const c: number[] = []
    try {
      for (let j = from; j < to; j++) {
        const global = column.codes[rowIds[j]!]!
        if (global < 0) {
          c.push(-1)
          continue
        }
        let code = scratch[global]!
        if (code === UNSEEN) {
          code = d.push(column.dictionary[global]!) - 1
          scratch[global] = code
        }
        c.push(code)
      }
    } finally {
      // leave the scratch as it was found, whatever happened: only the entries this entity used
      for (let j = from; j < to; j++) {
        const global = column.codes[rowIds[j]!]!
        if (global >= 0) scratch[global] = UNSEEN
      }
    }
    return { d, c }
  }
  // text codes or days, re-coded for this entity: the first value seen gets 0
  const local = new Map<number, number>()
  const d: string[] = []
  const c: number[] = []
  for (let j = from; j < to; j++) {
    const i = rowIds[j]!
    const raw = column.kind === 'text' ? column.codes[i]! : column.days[i]!
    let code = local.get(raw)
    if (code === undefined) {
      const value = cellValue(column, i)
      code = value === null ? -1 : d.push(String(value)) - 1
      local.set(raw, code)
    }
    c.push(code)
  }
  return { d, c }
}

/** Rows already as rows (tests, dev tools) in the wire form. */
export function encodeEntityRows(rows: EntityRows): EntityWire {
  const out: Record<string, EntityWireTable> = {}
  for (const [table, { columns, rows: list }] of Object.entries(rows)) {
    const values: Record<string, EntityWireColumn> = {}
    columns.forEach((name, k) => {
      const cells = list.map((r) => r[k] ?? null) as (number | string | boolean | null)[]
      // only a column of text (and nulls) is coded; any other stays as it is
      if (!cells.every((v) => v === null || typeof v === 'string')) {
        values[name] = { n: cells }
        return
      }
      const d: string[] = []
      const seen = new Map<string, number>()
      const c = cells.map((v) => {
        if (v === null) return -1
        const text = v as string
        let code = seen.get(text)
        if (code === undefined) {
          code = d.push(text) - 1
          seen.set(text, code)
        }
        return code
      })
      values[name] = { d, c }
    })
    out[table] = { columns, length: list.length, values }
  }
  return out
}
