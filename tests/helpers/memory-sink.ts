/** A TableSink that keeps counts and a SHA-256 of every table's rows, for determinism tests. */
import { createHash, type Hash } from 'node:crypto'
import type { CellValue, TableSink } from '../../catalog/synthetic/table-sink.ts'
import { TRUTH_TABLES } from '../../catalog/synthetic/truth-tables.ts'

export type MemorySink = TableSink & {
  readonly hashes: Map<string, string>
  readonly counts: Map<string, number>
  readonly rows: Map<string, Record<string, CellValue>[]>
  finish(): void
}

/** `keep` lists tables whose rows are kept as objects (others are only hashed). */
export function createMemorySink(keep: readonly string[] = []): MemorySink {
  const hashers = new Map<string, Hash>()
  const hashes = new Map<string, string>()
  const counts = new Map<string, number>()
  const rows = new Map<string, Record<string, CellValue>[]>()
  const writer = (name: string, columns: readonly string[]) => {
    const hash = createHash('sha256')
    hashers.set(name, hash)
    counts.set(name, 0)
    const kept: Record<string, CellValue>[] | undefined = keep.includes(name) ? [] : undefined
    if (kept !== undefined) rows.set(name, kept)
    return {
      row(values: readonly CellValue[]) {
        hash.update(JSON.stringify(values))
        hash.update('\n')
        counts.set(name, counts.get(name)! + 1)
        kept?.push(Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null])))
      },
    }
  }
  return {
    hashes,
    counts,
    rows,
    open: (table, columns) => writer(table, columns),
    openTruth: (name) => writer(`ground_truth.${name}`, TRUTH_TABLES[name].map((c) => c.name)),
    finish() {
      for (const [name, h] of hashers) hashes.set(name, h.digest('hex'))
    },
  }
}
