/**
 * The cost of releasing a one-entity result: the release checks (schema, identifier scan over
 * the exact bytes, free text) plus Ed25519 signing, against a full one-entity run of the first
 * product, in one run.
 * - `release.checks_sign_us`: median µs of checks + signing per result (node:crypto signing).
 * - `release.share_of_run`: that cost ÷ a full warm one-entity run (lookup, sandbox, output) of
 *   enterprise-credit-score. Goal ≤ 0.2.
 * - `release.sign_jose_vs_crypto.ratio`: jose's SignJWT ÷ node:crypto signing of the same JWS —
 *   the evidence behind signing with node:crypto (both produce the same standard JWS).
 * - `release.aggregate_vs_js.ratio`: a report over 1,000,000 persons whose aggregate is declared
 *   (`from`), run by the runtime (runBatch: the aggregate computed in DuckDB over the view, every
 *   cell protected, audited against an earlier release to the same consumer, `run` in the sandbox)
 *   ÷ the product's own JS aggregation of the same cells (the columns read from the same view, then
 *   counted and summed in plain JS), in one run. Goal ≤ 1.5. `release.aggregate_vs_js.audit_share`:
 *   the part of the runtime's time spent in the audit across releases.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { loadCatalog } from '../catalog/load-catalog.ts'
import { buildStore, openStore } from '../runtime/store/index.ts'
import { bundleProduct } from '../runtime/sandbox/bundle-product.ts'
import { createSandboxPool } from '../runtime/sandbox/sandbox-pool.ts'
import { invokeProduct, loadProduct } from '../runtime/products/run-product.ts'
import { loadEntityIndex } from '../runtime/entity/entity-index.ts'
import { checkRelease } from '../runtime/release/check-release.ts'
import { defaultPolicy } from '../runtime/release/release-policy.ts'
import { openKeyStore } from '../runtime/release/key-store.ts'
import { canonicalJson, hashJson, signRelease, RELEASE_TYPE } from '../runtime/release/signing.ts'
import { DuckDBInstance } from '@duckdb/node-api'
import { isDeepStrictEqual } from 'node:util'
import { fileURLToPath } from 'node:url'
import { runBatch, type BatchLedger } from '../runtime/products/run-batch.ts'
import type { DataGate, UnitView } from '../runtime/scenarios/data-gate.ts'
import type { Scenario } from '../runtime/scenarios/scenario.ts'
import type { ViewTable } from '../runtime/scenarios/materialize.ts'
import { keyTableName } from '../runtime/scenarios/materialize.ts'
import { readColumns } from '../runtime/store/read-columns.ts'
import { auditCells, type AuditedCell } from '../runtime/release/cell-audit.ts'
import { bandOf } from '../runtime/release/unit-contributions.ts'
import { UNIT_COLUMN, unitIdSql } from '../runtime/release/unit-ids.ts'
import { AGE_EDGES, INCOME_MAX, PERSON_TABLE } from './fixtures/declared-report/persons.ts'
import type { Benchmark } from './harness.ts'
import { median, round, shared, timed } from './measure.ts'

type Figures = { checksSignUs: number; runUs: number; joseUs: number; cryptoUs: number; opsPerSecond: number }

const measure = shared(async (): Promise<Figures> => {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-release-'))
  const pool = createSandboxPool({ workers: 1 })
  try {
    const catalog = loadCatalog()
    const path = join(dir, 'store.duckdb')
    await buildStore({ catalog, path, scale: 20_000, seed: 'bench-release' })
    const product = await loadProduct(pool, await bundleProduct('products/enterprise-credit-score'))
    const store = await openStore(path, { access: 'read-only' })
    const index = await loadEntityIndex(
      store,
      catalog,
      Object.entries(product.manifest.scenario.tables).map(([table, t]) => ({ table, key: t.key!, fields: Object.keys(t.fields) })),
    )
    store.close()
    const keys = openKeyStore(join(dir, 'keys.json'), 'benchmark passphrase', 'production')
    const key = keys.active()
    const policy = defaultPolicy('api')
    const uscc = index.sampleKeys(500)
    const outputs: unknown[] = []
    const runTimes: number[] = []
    for (let round = 0; round < 3; round++) {
      for (const k of uscc) {
        const t0 = performance.now()
        const r = await invokeProduct(pool, product, { uscc: k }, index.lookupWire(k), '2025-12-31')
        runTimes.push((performance.now() - t0) * 1000)
        if (round === 0) outputs.push(r.output)
      }
    }
    const now = Math.floor(Date.now() / 1000)
    const claimsFor = (output: unknown, i: number) => ({
      jti: `rel-bench-${i}`,
      iss: 'indomain',
      aud: 'bank-bench',
      iat: now,
      exp: now + 3600,
      env: 'production' as const,
      product: { id: product.manifest.id, version: product.manifest.version, codeHash: product.codeHash },
      scenario: 'scn-bench',
      consumer: 'bank-bench',
      requestHash: hashJson({ uscc: uscc[i] }),
      resultHash: hashJson(output),
      checks: { passed: ['SCHEMA', 'IDENTIFIERS', 'FREE_TEXT', 'GUARDS'] },
      result: output,
    })
    const checkTimes: number[] = []
    const cryptoTimes: number[] = []
    const joseTimes: number[] = []
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < outputs.length; i++) {
        const output = outputs[i]
        const t0 = performance.now()
        const verdict = checkRelease({ text: canonicalJson(output), output, schema: product.manifest.output, policy, entityKey: uscc[i]! })
        if (!verdict.ok) throw new Error('a clean output failed the checks')
        const t1 = performance.now()
        signRelease(claimsFor(output, i), key)
        const t2 = performance.now()
        await new SignJWT(claimsFor(output, i) as never).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: RELEASE_TYPE }).sign(key.privateKey)
        const t3 = performance.now()
        checkTimes.push((t2 - t0) * 1000)
        cryptoTimes.push((t2 - t1) * 1000)
        joseTimes.push((t3 - t2) * 1000)
      }
    }
    const checksSignUs = median(checkTimes)
    return { checksSignUs, runUs: median(runTimes), joseUs: median(joseTimes), cryptoUs: median(cryptoTimes), opsPerSecond: 1e6 / checksSignUs }
  } finally {
    await pool.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

// ---------------------------------------------------------------------------------------------
// a declared aggregate over a city's persons, against the product's own JS aggregation

const PERSONS = 1_000_000
const AGGREGATE_RUNS = 3
const DECLARED_PRODUCT_DIR = fileURLToPath(new URL('./fixtures/declared-report/', import.meta.url))

type AggregateFigures = { runtimeMs: number; jsMs: number; auditShare: number }

/** A views file as a scenario's: the person view and its raw keys, row-aligned. */
async function writePersons(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path)
  const c = await instance.connect()
  const districts = "['340102', '340103', '340104', '340111', '340121', '340122', '340123', '340124', '340181']"
  await c.run(`CREATE TABLE ${PERSON_TABLE} AS SELECT ${districts}[1 + CAST(hash(i) % 9 AS INTEGER)] AS district_code, CAST(hash(i * 7 + 1) % 95 AS INTEGER) AS age,
    CAST(CAST(hash(i * 13 + 2) % 3000000 AS DOUBLE) / 100 AS DECIMAL(12, 2)) AS monthly_income FROM range(${PERSONS}) t(i) ORDER BY i`)
  await c.run(
    `CREATE TABLE ${keyTableName(PERSON_TABLE)} AS SELECT key AS indomain_key, ${unitIdSql(Buffer.alloc(32, 7), 'persons.resident_id', 'key')} AS ${UNIT_COLUMN} FROM (SELECT i, printf('340102%012d', i) AS key FROM range(${PERSONS}) t(i)) ORDER BY i`,
  )
  c.closeSync()
  instance.closeSync()
}

const personView: ViewTable = {
  table: PERSON_TABLE,
  key: 'resident_id',
  fields: (
    [
      ['district_code', 'text'],
      ['age', 'integer'],
      ['monthly_income', 'decimal'],
    ] as const
  ).map(([name, type]) => ({
    name,
    mask: { rule: 'keep' as const },
    definition: { name, label: name, type, level: 'L2' as const, personal: false, identifier: 'none' as const, mask: { rule: 'keep' as const }, required: false },
  })),
}

/** The product's own aggregation, as it was written before the runtime owned it: columns in, cells out. */
async function aggregateInJs(path: string): Promise<Map<string, { n: number; income: number }>> {
  const store = await openStore(path, { access: 'read-only' })
  try {
    const table = await readColumns(store, { id: PERSON_TABLE }, personView.fields.map((f) => f.definition))
    const district = table.columns.district_code as Extract<(typeof table.columns)[string], { kind: 'text' }>
    const age = (table.columns.age as Extract<(typeof table.columns)[string], { kind: 'number' }>).values
    const income = (table.columns.monthly_income as Extract<(typeof table.columns)[string], { kind: 'number' }>).values
    const bands = new Map<number, string>()
    const cells = new Map<string, { n: number; income: number }>()
    for (let i = 0; i < table.length; i++) {
      const a = age[i]!
      let band = bands.get(a)
      if (band === undefined) bands.set(a, (band = bandOf(a, AGE_EDGES)))
      const key = `${district.dictionary[district.codes[i]!]}|${band}`
      const cell = cells.get(key) ?? { n: 0, income: 0 }
      cell.n++
      cell.income += Math.min(INCOME_MAX, Math.max(0, income[i]!))
      cells.set(key, cell)
    }
    return cells
  } finally {
    store.close()
  }
}

const measureAggregate = shared(async (): Promise<AggregateFigures> => {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-aggregate-'))
  const pool = createSandboxPool({ workers: 1 })
  try {
    const path = join(dir, 'views.duckdb')
    await writePersons(path)
    const product = await loadProduct(pool, await bundleProduct(DECLARED_PRODUCT_DIR))
    const scenario = { id: 'scn-bench', keys: { [PERSON_TABLE]: 'resident_id' }, release: { outputFields: [], rowLevel: null, privacy: null } } as unknown as Scenario
    const gate = {
      usable: async () => scenario,
      async withUnitView<T>(_id: string, _table: string, work: (unitView: UnitView) => Promise<T>) {
        const store = await openStore(path, { access: 'read-only' })
        try {
          return await work({ connection: store.connection, view: personView, keys: keyTableName(PERSON_TABLE), unique: true })
        } finally {
          store.close()
        }
      },
    } as unknown as DataGate
    // an earlier release of the same report to the same consumer: what the audit compares against
    let history: { released: readonly AuditedCell[]; withheld: readonly AuditedCell[] } = { released: [], withheld: [] }
    const ledger: BatchLedger = { cellHistory: async () => history, spendPrivacy: async () => Infinity }
    const catalog = loadCatalog()
    let releases = 0
    const runtimeRun = () =>
      runBatch({ pool, gate, catalog, ledger, product, scenarioId: scenario.id, consumer: 'bank-bench', input: {}, asOf: '2025-12-31', policy: defaultPolicy('report'), releaseId: `rel-bench-${releases++}` })
    // warm-up of both; the first release becomes the history every measured run is audited against
    const first = await runtimeRun()
    history = { released: first.cells!.released, withheld: first.cells!.withheld }
    await aggregateInJs(path)
    const runtimeTimes: number[] = []
    const jsTimes: number[] = []
    const auditTimes: number[] = []
    for (let i = 0; i < AGGREGATE_RUNS; i++) {
      const js = await timed(() => aggregateInJs(path))
      jsTimes.push(js.ms)
      const runtime = await timed(runtimeRun)
      runtimeTimes.push(runtime.ms)
      checkSameCells(runtime.value.output as ReleasedReport, js.value)
      if (!isDeepStrictEqual(runtime.value.output, first.output)) throw new Error('the declared report changed between runs')
      // the audit alone, on the same cells and history
      const cells = runtime.value.cells!
      auditTimes.push((await timed(() => auditCells({ history, current: { released: cells.released, withheld: cells.withheld }, minCount: defaultPolicy('report').minCount }))).ms)
    }
    return { runtimeMs: median(runtimeTimes), jsMs: median(jsTimes), auditShare: median(auditTimes) / median(runtimeTimes) }
  } finally {
    await pool.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

type ReleasedReport = { cells: { district: string; age: string; n: number; income: number | null }[] }

/** The benchmark is void if the runtime released something other than the cells the JS computed. */
function checkSameCells(report: ReleasedReport, js: ReadonlyMap<string, { n: number; income: number }>): void {
  if (report.cells.length !== js.size) throw new Error(`the runtime released ${report.cells.length} cells, the JS computed ${js.size}`)
  for (const c of report.cells) {
    const mine = js.get(`${c.district}|${c.age}`)
    if (mine === undefined || mine.n !== c.n || c.income === null || Math.abs(mine.income - c.income) > 1e-6 * Math.max(1, mine.income)) {
      throw new Error(`cell ${c.district} ${c.age}: runtime ${JSON.stringify(c)}, JS ${JSON.stringify(mine)}`)
    }
  }
}

export const benchmarks: readonly Benchmark[] = [
  {
    id: 'release.share_of_run',
    title: 'release checks + signing ÷ a full warm one-entity run of enterprise-credit-score (medians)',
    async run() {
      const f = await measure()
      const share = round(f.checksSignUs / f.runUs)
      return { value: share, unit: 'ratio', baseline: round(f.runUs, 1), ratio: share, goal: 0.2 }
    },
  },
  {
    id: 'release.aggregate_vs_js.ratio',
    title: 'a declared report over 1,000,000 persons run by the runtime (computed, protected, audited) ÷ the same cells aggregated in plain JS (medians)',
    async run() {
      const f = await measureAggregate()
      const ratio = round(f.runtimeMs / f.jsMs)
      return { value: ratio, unit: 'ratio', baseline: round(f.jsMs, 1), ratio, goal: 1.5 }
    },
  },
  {
    id: 'release.aggregate_vs_js.audit_share',
    title: 'the same runtime runs: share of their time spent in the audit across releases',
    async run() {
      const f = await measureAggregate()
      return { value: round(f.auditShare), unit: 'ratio', baseline: round(f.runtimeMs, 1), ratio: null, goal: null }
    },
  },
  {
    id: 'release.checks_sign_us',
    title: 'release checks + Ed25519 signing per one-entity result, median µs (baseline: results per second)',
    async run() {
      const f = await measure()
      return { value: round(f.checksSignUs, 1), unit: 'µs', baseline: round(f.opsPerSecond, 0), ratio: null, goal: null }
    },
  },
  {
    id: 'release.sign_jose_vs_crypto.ratio',
    title: 'jose SignJWT ÷ node:crypto Ed25519 signing of the same release (median µs each)',
    async run() {
      const f = await measure()
      const ratio = round(f.joseUs / f.cryptoUs)
      return { value: ratio, unit: 'ratio', baseline: round(f.cryptoUs, 1), ratio, goal: null }
    },
  },
]
