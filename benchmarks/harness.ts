/**
 * The benchmark harness's pure parts: what a benchmark is, which ones a run selects, how a
 * run's results merge into `results.json`, and the markdown table written into the README.
 * No timing and no I/O here (run.ts does both), so tests/benchmarks/harness.test.ts can drive
 * it with fake benchmarks.
 *
 * Speed targets are ratios against a baseline measured in the same run, on the same machine,
 * never absolute timings asserted in tests: a slower machine moves both sides.
 */

/** What one benchmark reports. */
export type BenchmarkMeasurement = {
  /** The figure the benchmark is about, in `unit`. */
  readonly value: number
  /** `ratio`, `ms`, `us`, `calls/s`, `s`, `MiB` … */
  readonly unit: string
  /** The comparison figure measured in the same run (its unit is described in the README), or null. */
  readonly baseline: number | null
  /** Cost against the baseline, > 1 = slower than the baseline; null when there is none. */
  readonly ratio: number | null
  /** Upper bound `value` should stay at or below; null for a record that is not a target. */
  readonly goal: number | null
}

export type Benchmark = {
  /** Dotted, area first: `sandbox.batch.ratio`. Selected on the command line by prefix. */
  readonly id: string
  readonly title: string
  run(): Promise<BenchmarkMeasurement>
}

export type Machine = {
  readonly cpu: string
  readonly cores: number
  readonly memoryMiB: number
  readonly node: string
}

/** One line of `results.json`. */
export type BenchmarkRecord = BenchmarkMeasurement & {
  readonly id: string
  readonly machine: Machine
  /** ISO time the benchmark finished. */
  readonly at: string
}

export const RESULTS_START = '<!-- results:start -->'
export const RESULTS_END = '<!-- results:end -->'

/** Benchmarks whose id starts with one of `prefixes`, in their given order; all of them when there are none. */
export function selectBenchmarks<B extends { readonly id: string }>(all: readonly B[], prefixes: readonly string[]): B[] {
  if (prefixes.length === 0) return [...all]
  return all.filter((b) => prefixes.some((p) => b.id.startsWith(p)))
}

/** Throws on a duplicate or malformed id: results are keyed by id. */
export function checkBenchmarkIds(all: readonly { readonly id: string }[]): void {
  const seen = new Set<string>()
  for (const { id } of all) {
    if (!/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/.test(id)) throw new TypeError(`benchmark id "${id}" is not dotted lower case (area.name…)`)
    if (seen.has(id)) throw new TypeError(`benchmark id "${id}" is declared twice`)
    seen.add(id)
  }
}

/** Fresh records replace the stored ones with the same id; the others are kept. Sorted by id. */
export function mergeResults(existing: readonly BenchmarkRecord[], fresh: readonly BenchmarkRecord[]): BenchmarkRecord[] {
  const byId = new Map<string, BenchmarkRecord>()
  for (const r of existing) byId.set(r.id, r)
  for (const r of fresh) byId.set(r.id, r)
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Reads `results.json` text leniently: a missing file is empty; anything unreadable is an error, not silently dropped. */
export function parseResults(text: string | undefined): BenchmarkRecord[] {
  if (text === undefined || text.trim() === '') return []
  const value = JSON.parse(text) as unknown
  if (!Array.isArray(value) || !value.every((r) => r !== null && typeof r === 'object' && typeof (r as { id?: unknown }).id === 'string')) {
    throw new TypeError('benchmarks/results.json is not a list of results with ids')
  }
  return value as BenchmarkRecord[]
}

/** Four significant digits, thousands grouped; integers above 1000 as integers. */
export function formatNumber(value: number | null): string {
  if (value === null) return '—'
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US')
  if (abs === 0) return '0'
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 })
}

function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${formatNumber(m.memoryMiB / 1024)} GiB, Node ${m.node}`
}

/** The markdown table (and the machines it was measured on) that goes between the README markers. */
export function renderResultsTable(records: readonly BenchmarkRecord[]): string {
  if (records.length === 0) return '_No results yet: run `npm run bench`._'
  const lines = [
    '| id | value | unit | baseline | ratio | goal | met | measured |',
    '|---|---:|---|---:|---:|---:|:---:|---|',
  ]
  for (const r of records) {
    const met = r.goal === null ? '—' : r.value <= r.goal ? 'yes' : '**no**'
    lines.push(
      `| \`${r.id}\` | ${formatNumber(r.value)} | ${r.unit} | ${formatNumber(r.baseline)} | ${formatNumber(r.ratio)} | ${formatNumber(r.goal)} | ${met} | ${r.at.slice(0, 16).replace('T', ' ')} |`,
    )
  }
  const machines = [...new Set(records.map((r) => machineLine(r.machine)))]
  lines.push('', machines.length === 1 ? `Machine: ${machines[0]}.` : `Machines: ${machines.join('; ')}.`)
  return lines.join('\n')
}

/** Replaces what lies between the markers (exclusive); throws if they are missing or out of order. */
export function rewriteResultsSection(readme: string, table: string): string {
  const start = readme.indexOf(RESULTS_START)
  const end = readme.indexOf(RESULTS_END)
  if (start < 0 || end < 0 || end < start) {
    throw new TypeError(`benchmarks/README.md needs the markers ${RESULTS_START} and ${RESULTS_END}, in that order`)
  }
  return `${readme.slice(0, start + RESULTS_START.length)}\n${table}\n${readme.slice(end)}`
}

export type BenchmarkFailure = { readonly id: string; readonly error: unknown }

export type RunBenchmarksOptions = {
  readonly machine: Machine
  /** A progress line (run.ts writes them to stderr). */
  readonly log: (line: string) => void
  /** Called with each record as soon as it exists, so a later crash loses nothing measured. */
  readonly onRecord?: (record: BenchmarkRecord) => void | Promise<void>
  readonly now?: () => Date
  readonly clock?: () => number
}

/**
 * Runs benchmarks one after another (they compete for the same cores otherwise). A benchmark
 * that throws — e.g. because the sandbox and the host disagree on a result — is reported as a
 * failure and produces no record; the others still run.
 */
export async function runBenchmarks(
  selected: readonly Benchmark[],
  options: RunBenchmarksOptions,
): Promise<{ records: BenchmarkRecord[]; failures: BenchmarkFailure[] }> {
  const now = options.now ?? (() => new Date())
  const clock = options.clock ?? (() => performance.now())
  const records: BenchmarkRecord[] = []
  const failures: BenchmarkFailure[] = []
  for (const [i, b] of selected.entries()) {
    const tag = `[${i + 1}/${selected.length}] ${b.id}`
    options.log(`${tag}: ${b.title} …`)
    const started = clock()
    let measurement: BenchmarkMeasurement
    try {
      measurement = checkMeasurement(await b.run())
    } catch (error) {
      failures.push({ id: b.id, error })
      options.log(`${tag}: FAILED after ${seconds(clock() - started)}: ${error instanceof Error ? error.message : String(error)}`)
      continue
    }
    const record: BenchmarkRecord = {
      id: b.id,
      value: measurement.value,
      unit: measurement.unit,
      baseline: measurement.baseline,
      ratio: measurement.ratio,
      goal: measurement.goal,
      machine: options.machine,
      at: now().toISOString(),
    }
    records.push(record)
    await options.onRecord?.(record)
    const extra = [
      measurement.baseline === null ? undefined : `baseline ${formatNumber(measurement.baseline)}`,
      measurement.ratio === null ? undefined : `ratio ${formatNumber(measurement.ratio)}`,
      measurement.goal === null ? undefined : `goal ≤ ${formatNumber(measurement.goal)}${measurement.value <= measurement.goal ? '' : ' NOT MET'}`,
    ].filter((s) => s !== undefined)
    options.log(`${tag} = ${formatNumber(measurement.value)} ${measurement.unit}${extra.length > 0 ? ` (${extra.join(', ')})` : ''} in ${seconds(clock() - started)}`)
  }
  return { records, failures }
}

function checkMeasurement(m: BenchmarkMeasurement): BenchmarkMeasurement {
  const finiteOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v))
  if (typeof m.value !== 'number' || !Number.isFinite(m.value) || typeof m.unit !== 'string' || !finiteOrNull(m.baseline) || !finiteOrNull(m.ratio) || !finiteOrNull(m.goal)) {
    throw new TypeError('a benchmark must report a finite value, a unit, and baseline/ratio/goal as finite numbers or null')
  }
  return m
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
