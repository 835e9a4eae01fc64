/**
 * Building the in-domain store at the scale of a city (1,000,000 persons): how long it takes, how
 * much memory it peaks at and how large the store is. The baseline is generating the same world
 * into a sink that only counts rows, so the ratio says what the store (staging, the writer
 * thread's DuckDB appends, checkpoint) adds on top of generation. Goals from issue 18: at most
 * 120 s and 2 GiB.
 *
 * Both runs happen in a child process of their own (this file, forked), so that a peak RSS is one
 * run's own, not the bench process's high-water mark. With INDOMAIN_BENCH_CATALOG_10M=1 the same is
 * measured at 10,000,000 persons (half an hour or more, about 10 GiB of disk and of memory): the
 * generator holds its whole world, about 5.5 GB of it at that scale, more than V8's default heap,
 * so those children run with a larger one (HEAP_10M_MIB).
 */
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadCatalog } from '../catalog/load-catalog.ts'
import { generateSyntheticData } from '../catalog/synthetic/generate.ts'
import type { RowWriter, TableSink } from '../catalog/synthetic/table-sink.ts'
import { buildStore } from '../runtime/store/index.ts'
import type { Benchmark } from './harness.ts'
import { round, shared } from './measure.ts'

const SEED = 'bench'
const SELF = fileURLToPath(import.meta.url)
const WITH_10M = process.env.INDOMAIN_BENCH_CATALOG_10M === '1'
const HEAP_10M_MIB = 16_384

type RunRequest = { readonly kind: 'generate' | 'build'; readonly scale: number }
/** One run in a child: seconds, its peak RSS, rows per table, and for a build the store's size. */
type RunReport = { readonly seconds: number; readonly peakMiB: number; readonly rows: [string, number][]; readonly bytes: number }
type RunReply = RunReport | { readonly error: string }

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

/** What the child does: one generation or one build, nothing else in its process. */
async function runHere(request: RunRequest): Promise<RunReport> {
  const started = performance.now()
  if (request.kind === 'generate') {
    const sink = createCountingSink()
    generateSyntheticData({ seed: SEED, scale: request.scale }, sink)
    return { seconds: (performance.now() - started) / 1000, peakMiB: peakMiB(), rows: [...sink.counts], bytes: 0 }
  }
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-build-'))
  try {
    const built = await buildStore({ catalog: loadCatalog(), path: join(dir, 'store.duckdb'), scale: request.scale, seed: SEED })
    return { seconds: (performance.now() - started) / 1000, peakMiB: peakMiB(), rows: [...built.rows], bytes: built.bytes }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The process's peak resident memory, worker threads (the store writer) and DuckDB included. */
function peakMiB(): number {
  return process.resourceUsage().maxRSS / 1024
}

function runInChild(request: RunRequest, heapMiB: number | undefined): Promise<RunReport> {
  return new Promise((resolve, reject) => {
    const execArgv = heapMiB === undefined ? process.execArgv : [...process.execArgv, `--max-old-space-size=${heapMiB}`]
    const child = fork(SELF, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let settled = false
    child.once('message', (reply: RunReply) => {
      settled = true
      child.kill()
      if ('error' in reply) reject(new Error(`the ${request.kind} run failed: ${reply.error}`))
      else resolve(reply)
    })
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`the ${request.kind} run ended early (${signal ?? `exit ${code}`})`))
    })
    child.send(request)
  })
}

type BuildFigures = { readonly generate: RunReport; readonly build: RunReport }

function measureAt(scale: number, heapMiB: number | undefined): () => Promise<BuildFigures> {
  return shared(async () => {
    const generate = await runInChild({ kind: 'generate', scale }, heapMiB)
    const build = await runInChild({ kind: 'build', scale }, heapMiB)
    // both runs must have produced the same world, or the ratio compares different work
    const generated = new Map(generate.rows)
    for (const [table, rows] of build.rows) {
      if (generated.get(table) !== rows) throw new Error(`${table}: the store has ${rows} rows, generation alone produced ${generated.get(table)}`)
    }
    return { generate, build }
  })
}

function benchmarksAt(scale: number, tag: string, goals: { seconds: number | null; peakMiB: number | null }, heapMiB?: number): Benchmark[] {
  const measure = measureAt(scale, heapMiB)
  const persons = scale.toLocaleString('en-US')
  return [
    {
      id: `catalog.build_${tag}.seconds`,
      title: `buildStore at scale ${persons}: seconds (baseline: generation alone)`,
      async run() {
        const { generate, build } = await measure()
        return { value: round(build.seconds, 1), unit: 's', baseline: round(generate.seconds, 1), ratio: round(build.seconds / generate.seconds), goal: goals.seconds }
      },
    },
    {
      id: `catalog.build_${tag}.peak_mib`,
      title: `buildStore at scale ${persons}: peak RSS of its process, MiB (baseline: generation alone)`,
      async run() {
        const { generate, build } = await measure()
        return { value: round(build.peakMiB, 0), unit: 'MiB', baseline: round(generate.peakMiB, 0), ratio: round(build.peakMiB / generate.peakMiB), goal: goals.peakMiB }
      },
    },
    {
      id: `catalog.build_${tag}.mib`,
      title: `store size at scale ${persons}: MiB`,
      async run() {
        const { build } = await measure()
        return { value: round(build.bytes / 2 ** 20, 1), unit: 'MiB', baseline: null, ratio: null, goal: null }
      },
    },
  ]
}

export const benchmarks: Benchmark[] = [
  ...benchmarksAt(1_000_000, '1m', { seconds: 120, peakMiB: 2048 }),
  ...(WITH_10M ? benchmarksAt(10_000_000, '10m', { seconds: null, peakMiB: null }, HEAP_10M_MIB) : []),
]

if (process.send !== undefined && process.argv[1] === SELF) {
  process.once('message', (request: RunRequest) => {
    runHere(request).then(
      (report) => process.send!(report),
      (error: unknown) => process.send!({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    )
  })
}
