/**
 * `npm run bench [-- <id prefix>…]`: discovers every `benchmarks/<area>.bench.ts`, runs the
 * selected benchmarks one after another, merges their records into `benchmarks/results.json`
 * (other ids are kept) and rewrites the results table in `benchmarks/README.md`.
 * Progress goes to stderr; exit code 1 when a benchmark failed or the selection is empty.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Command } from 'commander'
import {
  checkBenchmarkIds,
  mergeResults,
  parseResults,
  renderResultsTable,
  rewriteResultsSection,
  runBenchmarks,
  selectBenchmarks,
  type Benchmark,
  type BenchmarkRecord,
  type Machine,
} from './harness.ts'
import { inChildProcess } from './bench-process.ts'

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url))
const RESULTS_PATH = join(BENCH_DIR, 'results.json')
const README_PATH = join(BENCH_DIR, 'README.md')

type BenchFile = { readonly file: string; readonly benchmarks: readonly Benchmark[] }

async function discoverBenchmarks(): Promise<BenchFile[]> {
  const files = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.bench.ts')).sort()
  const found: BenchFile[] = []
  for (const name of files) {
    const file = join(BENCH_DIR, name)
    const module = (await import(pathToFileURL(file).href)) as { benchmarks?: readonly Benchmark[] }
    if (!Array.isArray(module.benchmarks)) throw new TypeError(`${name} does not export a list named benchmarks`)
    found.push({ file, benchmarks: module.benchmarks })
  }
  checkBenchmarkIds(found.flatMap((f) => f.benchmarks))
  return found
}

function describeMachine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
  }
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text)
  renameSync(`${path}.tmp`, path)
}

/** Merges one record into results.json and refreshes the README table from the merged list. */
function storeRecord(record: BenchmarkRecord): void {
  const existing = parseResults(existsSync(RESULTS_PATH) ? readFileSync(RESULTS_PATH, 'utf8') : undefined)
  const merged = mergeResults(existing, [record])
  writeAtomically(RESULTS_PATH, `${JSON.stringify(merged, null, 2)}\n`)
  writeAtomically(README_PATH, rewriteResultsSection(readFileSync(README_PATH, 'utf8'), renderResultsTable(merged)))
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('bench')
    .description('run the benchmarks (all, or those whose id starts with a prefix) and record their results')
    .argument('[prefixes...]', 'id prefixes, e.g. sandbox. or catalog.build')
    .option('--list', 'list the benchmark ids and exit')
    .exitOverride()
  program.parse(argv, { from: 'user' })
  const prefixes = program.args
  const files = await discoverBenchmarks()
  const all = files.flatMap((f) => f.benchmarks)
  if (program.opts<{ list?: boolean }>().list === true) {
    for (const b of all) process.stdout.write(`${b.id}\t${b.title}\n`)
    return 0
  }
  // each file's selected benchmarks run in a fresh process of their own (bench-process.ts)
  const selected = files.flatMap((f) => {
    const chosen = selectBenchmarks(f.benchmarks, prefixes)
    return chosen.length === 0 ? [] : inChildProcess(f.file, chosen)
  })
  if (selected.length === 0) {
    process.stderr.write(`no benchmark id starts with ${prefixes.join(' or ')}; ids: ${all.map((b) => b.id).join(', ')}\n`)
    return 1
  }
  // fail before hours of work rather than after, if the README lost its markers
  rewriteResultsSection(readFileSync(README_PATH, 'utf8'), '')
  const machine = describeMachine()
  process.stderr.write(`running ${selected.length} of ${all.length} benchmarks on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`)
  const load = loadavg()[0]!
  if (load > 0.5) {
    process.stderr.write(`note: the 1-minute load average is ${load.toFixed(2)} on ${machine.cores} cores; other processes compete for the CPU and the figures will be noisy\n`)
  }
  const { failures } = await runBenchmarks(selected, {
    machine,
    log: (line) => process.stderr.write(`${line}\n`),
    onRecord: storeRecord,
  })
  for (const f of failures) {
    process.stderr.write(`\n${f.id} failed:\n${f.error instanceof Error ? (f.error.stack ?? f.error.message) : String(f.error)}\n`)
  }
  process.stderr.write(failures.length === 0 ? `results in ${RESULTS_PATH}\n` : `${failures.length} benchmark(s) failed\n`)
  return failures.length === 0 ? 0 : 1
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  const code = (error as { code?: string }).code
  if (typeof code === 'string' && code.startsWith('commander.')) process.exitCode = code === 'commander.helpDisplayed' ? 0 : 1
  else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 1
  }
}
