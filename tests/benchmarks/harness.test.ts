import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { inChildProcess } from '../../benchmarks/bench-process.ts'
import {
  RESULTS_END,
  RESULTS_START,
  checkBenchmarkIds,
  mergeResults,
  parseResults,
  renderResultsTable,
  rewriteResultsSection,
  runBenchmarks,
  selectBenchmarks,
  type Benchmark,
  type BenchmarkMeasurement,
  type BenchmarkRecord,
  type Machine,
} from '../../benchmarks/harness.ts'

const MACHINE: Machine = { cpu: 'Test CPU @ 1.00GHz', cores: 2, memoryMiB: 4096, node: 'v24.0.0' }

function fake(id: string, measurement: Partial<BenchmarkMeasurement> = {}, calls: string[] = []): Benchmark {
  return {
    id,
    title: `fake ${id}`,
    async run() {
      calls.push(id)
      return { value: 1, unit: 'ratio', baseline: 10, ratio: 1, goal: 1.5, ...measurement }
    },
  }
}

function record(id: string, value: number, at = '2025-01-01T00:00:00.000Z'): BenchmarkRecord {
  return { id, value, unit: 'ms', baseline: null, ratio: null, goal: null, machine: MACHINE, at }
}

const ALL = [fake('sandbox.batch.ratio'), fake('sandbox.batch.ms'), fake('sandbox.entity.p99_us'), fake('catalog.build_1m.seconds')]

describe('selecting benchmarks by id prefix', () => {
  it('selects every benchmark when no prefix is given', () => {
    expect(selectBenchmarks(ALL, []).map((b) => b.id)).toEqual(ALL.map((b) => b.id))
  })

  it('selects those whose id starts with the prefix, in declaration order', () => {
    expect(selectBenchmarks(ALL, ['sandbox.']).map((b) => b.id)).toEqual(['sandbox.batch.ratio', 'sandbox.batch.ms', 'sandbox.entity.p99_us'])
    expect(selectBenchmarks(ALL, ['sandbox.entity']).map((b) => b.id)).toEqual(['sandbox.entity.p99_us'])
  })

  it('takes several prefixes, and matches by prefix only, not substring', () => {
    expect(selectBenchmarks(ALL, ['catalog.', 'sandbox.batch.ms']).map((b) => b.id)).toEqual(['sandbox.batch.ms', 'catalog.build_1m.seconds'])
    expect(selectBenchmarks(ALL, ['batch'])).toEqual([])
  })

  it('refuses duplicate or malformed ids', () => {
    expect(() => checkBenchmarkIds(ALL)).not.toThrow()
    expect(() => checkBenchmarkIds([fake('a.b'), fake('a.b')])).toThrow(/declared twice/)
    expect(() => checkBenchmarkIds([fake('Sandbox Batch')])).toThrow(/dotted/)
    expect(() => checkBenchmarkIds([fake('nodot')])).toThrow(/dotted/)
  })
})

describe('merging results', () => {
  it('replaces records with the same id, keeps the others, and sorts by id', () => {
    const existing = [record('sandbox.batch.ratio', 1.4), record('catalog.build_1m.seconds', 150), record('old.removed', 3)]
    const merged = mergeResults(existing, [record('sandbox.batch.ratio', 1.2, '2025-02-01T00:00:00.000Z'), record('sandbox.entity.p99_us', 800)])
    expect(merged.map((r) => [r.id, r.value])).toEqual([
      ['catalog.build_1m.seconds', 150],
      ['old.removed', 3],
      ['sandbox.batch.ratio', 1.2],
      ['sandbox.entity.p99_us', 800],
    ])
    expect(merged.find((r) => r.id === 'sandbox.batch.ratio')!.at).toBe('2025-02-01T00:00:00.000Z')
  })

  it('reads a missing or empty results file as no results, and refuses one that is not a list of results', () => {
    expect(parseResults(undefined)).toEqual([])
    expect(parseResults('  \n')).toEqual([])
    expect(parseResults(JSON.stringify([record('a.b', 1)]))).toEqual([record('a.b', 1)])
    expect(() => parseResults('{"id": "a.b"}')).toThrow(/not a list/)
    expect(() => parseResults('[{"value": 1}]')).toThrow(/not a list/)
    expect(() => parseResults('[not json')).toThrow()
  })
})

describe('running benchmarks', () => {
  it('runs only the selected benchmarks, in order, and stamps each record with the machine and time', async () => {
    const calls: string[] = []
    const all = [fake('x.one', {}, calls), fake('x.two', { value: 2 }, calls), fake('y.three', {}, calls)]
    const lines: string[] = []
    const stored: BenchmarkRecord[] = []
    const { records, failures } = await runBenchmarks(selectBenchmarks(all, ['x.']), {
      machine: MACHINE,
      log: (l) => lines.push(l),
      onRecord: (r) => {
        stored.push(r)
      },
      now: () => new Date('2025-03-04T05:06:07.000Z'),
      clock: () => 0,
    })
    expect(calls).toEqual(['x.one', 'x.two'])
    expect(failures).toEqual([])
    expect(records).toEqual([
      { id: 'x.one', value: 1, unit: 'ratio', baseline: 10, ratio: 1, goal: 1.5, machine: MACHINE, at: '2025-03-04T05:06:07.000Z' },
      { id: 'x.two', value: 2, unit: 'ratio', baseline: 10, ratio: 1, goal: 1.5, machine: MACHINE, at: '2025-03-04T05:06:07.000Z' },
    ])
    expect(stored).toEqual(records)
    // one line when a benchmark starts and one when it ends, the unmet goal called out
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^\[1\/2\] x\.one: fake x\.one/)
    expect(lines[3]).toMatch(/^\[2\/2\] x\.two = 2 ratio .*NOT MET/)
  })

  it('reports a failing benchmark (e.g. sandbox and host disagree) without a record and goes on with the rest', async () => {
    const failing: Benchmark = {
      id: 'x.fails',
      title: 'fails',
      run: () => Promise.reject(new Error('the sandbox and the host disagree')),
    }
    const invalid = fake('x.nan', { value: Number.NaN })
    const { records, failures } = await runBenchmarks([failing, invalid, fake('x.after')], { machine: MACHINE, log: () => undefined })
    expect(records.map((r) => r.id)).toEqual(['x.after'])
    expect(failures.map((f) => f.id)).toEqual(['x.fails', 'x.nan'])
    expect(String(failures[0]!.error)).toMatch(/disagree/)
  })

  it('a subset run merged into earlier results keeps the benchmarks it did not run', async () => {
    const earlier = [record('catalog.build_1m.seconds', 150), record('sandbox.batch.ratio', 1.9)]
    const { records } = await runBenchmarks(selectBenchmarks(ALL, ['sandbox.batch.ratio']), { machine: MACHINE, log: () => undefined })
    const merged = mergeResults(earlier, records)
    expect(merged.map((r) => [r.id, r.value])).toEqual([
      ['catalog.build_1m.seconds', 150],
      ['sandbox.batch.ratio', 1],
    ])
  })
})

describe('running a benchmark file in a process of its own', () => {
  const FILE = fileURLToPath(new URL('./fixtures/fake.bench.ts', import.meta.url))
  const declared = ['fake.first', 'fake.second', 'fake.throws', 'fake.exits', 'fake.after'].map((id) => fake(id))

  it('runs the selected benchmarks of a file in one child process, then starts a fresh one if it died', async () => {
    const { records, failures } = await runBenchmarks(inChildProcess(FILE, declared), { machine: MACHINE, log: () => undefined })
    const [first, second, after] = records
    // the fake reports a counter kept in its process (value) and its process id (baseline)
    expect(records.map((r) => [r.id, r.value])).toEqual([['fake.first', 1], ['fake.second', 2], ['fake.after', 1]])
    expect(first!.baseline).toBe(second!.baseline)
    expect(first!.baseline).not.toBe(process.pid)
    expect(after!.baseline).not.toBe(first!.baseline)
    expect(failures.map((f) => [f.id, (f.error as Error).message])).toEqual([
      ['fake.throws', 'the sandbox and the host disagree'],
      ['fake.exits', 'the benchmark process of fake.bench.ts ended (exit 3)'],
    ])
  })

  it('runs only the selected ones', async () => {
    const { records } = await runBenchmarks(inChildProcess(FILE, selectBenchmarks(declared, ['fake.second'])), { machine: MACHINE, log: () => undefined })
    expect(records.map((r) => [r.id, r.value])).toEqual([['fake.second', 1]])
  })
})

describe('the README results table', () => {
  const README = `# Benchmarks\n\nIntro.\n\n${RESULTS_START}\nold table\n${RESULTS_END}\n\n## After\n\nText.\n`

  it('renders one row per record, with dashes for what a record does not have and whether its goal is met', () => {
    const table = renderResultsTable([
      { ...record('sandbox.batch.ratio', 1.234567), unit: 'ratio', baseline: 455.94, ratio: 1.234567, goal: 1.5 },
      { ...record('sandbox.entity.p99_us', 2148.3), unit: 'us', baseline: 847.9, ratio: 2.534, goal: 1000 },
      record('catalog.build_1m.mib', 823.4),
    ])
    const rows = table.split('\n')
    expect(rows[0]).toBe('| id | value | unit | baseline | ratio | goal | met | measured |')
    expect(rows[2]).toBe('| `sandbox.batch.ratio` | 1.235 | ratio | 455.9 | 1.235 | 1.5 | yes | 2025-01-01 00:00 |')
    expect(rows[3]).toBe('| `sandbox.entity.p99_us` | 2,148 | us | 847.9 | 2.534 | 1,000 | **no** | 2025-01-01 00:00 |')
    expect(rows[4]).toBe('| `catalog.build_1m.mib` | 823.4 | ms | — | — | — | — | 2025-01-01 00:00 |')
    expect(table).toContain('Machine: Test CPU @ 1.00GHz, 2 cores, 4 GiB, Node v24.0.0.')
  })

  it('lists every machine when records come from different ones', () => {
    const other = { ...record('b.c', 1), machine: { ...MACHINE, node: 'v24.1.0' } }
    expect(renderResultsTable([record('a.b', 1), other])).toContain('Machines: Test CPU @ 1.00GHz, 2 cores, 4 GiB, Node v24.0.0; Test CPU @ 1.00GHz, 2 cores, 4 GiB, Node v24.1.0.')
  })

  it('says there are no results yet when there are none', () => {
    expect(renderResultsTable([])).toMatch(/No results yet/)
  })

  it('replaces only what lies between the markers, and does so idempotently', () => {
    const once = rewriteResultsSection(README, '| new |')
    expect(once).toBe(`# Benchmarks\n\nIntro.\n\n${RESULTS_START}\n| new |\n${RESULTS_END}\n\n## After\n\nText.\n`)
    expect(rewriteResultsSection(once, '| new |')).toBe(once)
    expect(rewriteResultsSection(once, '| newer |')).toContain(`${RESULTS_START}\n| newer |\n${RESULTS_END}`)
  })

  it('refuses a README without the markers, or with them out of order', () => {
    expect(() => rewriteResultsSection('# Benchmarks\n', 'x')).toThrow(/markers/)
    expect(() => rewriteResultsSection(`${RESULTS_END}\n${RESULTS_START}\n`, 'x')).toThrow(/markers/)
  })
})
