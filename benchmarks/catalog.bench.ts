/**
 * Building the in-domain store at the scale of a city (1,000,000 persons): a record of how long
 * it takes and how large the store is, not a target. The baseline is generating the same world
 * into a sink that only counts rows, so the ratio says what the store (DuckDB appenders,
 * checkpoint) adds on top of generation.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalog } from '../catalog/load-catalog.ts'
import { generateSyntheticData } from '../catalog/synthetic/generate.ts'
import type { RowWriter, TableSink } from '../catalog/synthetic/table-sink.ts'
import { buildStore } from '../runtime/store/index.ts'
import type { Benchmark } from './harness.ts'
import { round, shared, timed } from './measure.ts'

const SCALE = 1_000_000
const SEED = 'bench'

type BuildFigures = { generateSeconds: number; buildSeconds: number; mib: number }

function createCountingSink(): TableSink & { readonly counts: Map<string, number> } {
  const counts = new Map<string, number>()
  const writer = (name: string): RowWriter => {
    counts.set(name, 0)
    let n = 0
    return {
      row() {
        counts.set(name, ++n)
      },
    }
  }
  return { counts, open: (table) => writer(table), openTruth: (name) => writer(`ground_truth.${name}`) }
}

const measureBuild = shared(async (): Promise<BuildFigures> => {
  const sink = createCountingSink()
  const generated = await timed(() => generateSyntheticData({ seed: SEED, scale: SCALE }, sink))
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-build-'))
  try {
    const built = await timed(() => buildStore({ catalog: loadCatalog(), path: join(dir, 'store.duckdb'), scale: SCALE, seed: SEED }))
    // both runs must have produced the same world, or the ratio compares different work
    for (const [table, rows] of built.value.rows) {
      if (sink.counts.get(table) !== rows) throw new Error(`${table}: the store has ${rows} rows, generation alone produced ${sink.counts.get(table)}`)
    }
    return { generateSeconds: generated.ms / 1000, buildSeconds: built.ms / 1000, mib: built.value.bytes / 2 ** 20 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

export const benchmarks: Benchmark[] = [
  {
    id: 'catalog.build_1m.seconds',
    title: `buildStore at scale ${SCALE.toLocaleString('en-US')} (a record, not a target): seconds`,
    async run() {
      const f = await measureBuild()
      return { value: round(f.buildSeconds, 1), unit: 's', baseline: round(f.generateSeconds, 1), ratio: round(f.buildSeconds / f.generateSeconds), goal: null }
    },
  },
  {
    id: 'catalog.build_1m.mib',
    title: `store size at scale ${SCALE.toLocaleString('en-US')}: MiB`,
    async run() {
      const f = await measureBuild()
      return { value: round(f.mib, 1), unit: 'MiB', baseline: null, ratio: null, goal: null }
    },
  },
]
