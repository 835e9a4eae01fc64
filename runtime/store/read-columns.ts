/**
 * Reads fields of a table into typed, dictionary-encoded columns, streaming chunk by chunk:
 * the form in which data is held in memory (one-entity index) and handed to batch products.
 */
import type { FieldDefinition, TableDefinition } from '../../catalog/table-definition.ts'
import type { Store } from './open-store.ts'
import { quoteIdentifier } from './schema.ts'
import type { WireColumn, WireTable } from '../sandbox/wire.ts'

const NULL_DAY = -2147483648
const MS_PER_DAY = 86_400_000

/** How a field is held in memory: numbers as Float64 (NaN = null), dates as day numbers, the rest as dictionary-coded text. */
export function columnKind(field: FieldDefinition): WireColumn['kind'] {
  return field.type === 'integer' || field.type === 'decimal' ? 'number' : field.type === 'date' ? 'date' : 'text'
}

function selectExpression(field: FieldDefinition): string {
  const col = quoteIdentifier(field.name)
  switch (columnKind(field)) {
    case 'number':
      return `CAST(${col} AS DOUBLE)`
    case 'date':
      return `CAST(date_diff('day', DATE '1970-01-01', ${col}) AS INTEGER)`
    case 'text':
      return field.type === 'text' ? col : `CAST(${col} AS VARCHAR)`
  }
}

class Growable {
  #f64: Float64Array | undefined
  #i32: Int32Array | undefined
  length = 0
  constructor(kind: 'f64' | 'i32', capacity: number) {
    if (kind === 'f64') this.#f64 = new Float64Array(Math.max(16, capacity))
    else this.#i32 = new Int32Array(Math.max(16, capacity))
  }
  push(v: number): void {
    const arr = (this.#f64 ?? this.#i32)!
    if (this.length === arr.length) {
      const bigger = new (arr.constructor as Float64ArrayConstructor | Int32ArrayConstructor)(arr.length * 2)
      bigger.set(arr as never)
      if (this.#f64 !== undefined) this.#f64 = bigger as Float64Array
      else this.#i32 = bigger as Int32Array
    }
    ;(this.#f64 ?? this.#i32)![this.length++] = v
  }
  // sized from the row count, the array is usually full: it is then handed over, not copied
  f64(): Float64Array {
    return this.length === this.#f64!.length ? this.#f64! : this.#f64!.slice(0, this.length)
  }
  i32(): Int32Array {
    return this.length === this.#i32!.length ? this.#i32! : this.#i32!.slice(0, this.length)
  }
}

/** Reads `fields` of `table` (in stored order) as typed columns. */
export async function readColumns(store: Store, table: Pick<TableDefinition, 'id'>, fields: readonly FieldDefinition[]): Promise<WireTable> {
  const count = await store.connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdentifier(table.id)}`)
  const capacity = Number(count.getRowsJS()[0]![0])
  const sql = `SELECT ${fields.map(selectExpression).join(', ')} FROM ${quoteIdentifier(table.id)}`
  const builders = fields.map((f) => {
    const kind = columnKind(f)
    return {
      kind,
      data: new Growable(kind === 'number' ? 'f64' : 'i32', capacity),
      dictionary: [] as string[],
      codes: new Map<string, number>(),
    }
  })
  const result = await store.connection.stream(sql)
  let length = 0
  for (;;) {
    const chunk = await result.fetchChunk()
    if (chunk === null || chunk.rowCount === 0) break
    builders.forEach((b, i) => {
      const values = chunk.getColumnValues(i)
      for (const v of values) {
        if (b.kind === 'number') b.data.push(v === null ? NaN : Number(v))
        else if (b.kind === 'date') b.data.push(v === null ? NULL_DAY : Number(v))
        else if (v === null) b.data.push(-1)
        else {
          const s = String(v)
          let code = b.codes.get(s)
          if (code === undefined) {
            code = b.dictionary.length
            b.dictionary.push(s)
            b.codes.set(s, code)
          }
          b.data.push(code)
        }
      }
    })
    length += chunk.rowCount
  }
  const columns: Record<string, WireColumn> = {}
  fields.forEach((f, i) => {
    const b = builders[i]!
    columns[f.name] =
      b.kind === 'number'
        ? { kind: 'number', values: b.data.f64() }
        : b.kind === 'date'
          ? { kind: 'date', days: b.data.i32() }
          : { kind: 'text', codes: b.data.i32(), dictionary: b.dictionary }
  })
  return { length, columns }
}

/** The value of row `i` of a column as JSON (dates as `YYYY-MM-DD`). */
export function cellValue(column: WireColumn, i: number): string | number | null {
  switch (column.kind) {
    case 'number': {
      const v = column.values[i]!
      return Number.isNaN(v) ? null : v
    }
    case 'date': {
      const d = column.days[i]!
      return d === NULL_DAY ? null : new Date(d * MS_PER_DAY).toISOString().slice(0, 10)
    }
    case 'text': {
      const c = column.codes[i]!
      return c < 0 ? null : column.dictionary[c]!
    }
  }
}
