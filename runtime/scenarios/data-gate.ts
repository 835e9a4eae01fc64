/**
 * The one gate for all data access. The one-entity path, the batch path and product SQL all
 * come through here, and all read a scenario's views — never the store. Every access first
 * checks that the scenario is approved, not revoked and not expired (typed errors, before any
 * data is read), then that its views are current for the scenario's revision and the store's
 * data (rebuilding them if not), and refuses any table or field outside them.
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { FieldDefinition } from '../../catalog/table-definition.ts'
import lockfile from 'proper-lockfile'
import { RuntimeError } from '../errors.ts'
import { cityDay } from '../city-calendar.ts'
import { buildEntityIndex, type EntityIndex } from '../entity/entity-index.ts'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { openStore, type Store } from '../store/open-store.ts'
import { readColumns } from '../store/read-columns.ts'
import type { WireTable } from '../sandbox/wire.ts'
import { hasUniqueKeys, isMaterialized, KEY_COLUMN, keyTableName, materializeScenario, storeVersion, viewsPath, viewTables, type ViewTable } from './materialize.ts'
import { approvedTables, assertUsable, type ScenarioStore } from './scenario-store.ts'
import type { Scenario } from './scenario.ts'
import { checkProductSql, runProductSql } from './product-sql.ts'
import { groupByUnit, type UnitGrouping } from '../entity/unit-tables.ts'
import { UNIT_COLUMN } from '../release/unit-ids.ts'

export type DataGateOptions = {
  readonly catalog: Catalog
  readonly storePath: string
  readonly viewsDir: string
  readonly scenarios: ScenarioStore
  /** The as-of day of the data (for age bands). */
  readonly asOf: string

  /** Today, for expiry checks (default: the real date). */
  readonly today?: () => string
}

/** The unit table of a scenario, for the runtime's own queries: its view, its key table (raw keys and unit ids, row-aligned), and whether each unit has one row. */
export type UnitView = { readonly connection: Store['connection']; readonly view: ViewTable; readonly keys: string; readonly unique: boolean }

export type DataGate = {
  /** The current scenario, refused with a typed error unless usable today. */
  usable(scenarioId: string): Promise<Scenario>
  /** One-entity path: the scenario's views in memory, indexed by the lookup key. */
  entityIndex(scenarioId: string): Promise<EntityIndex>
  /** Batch path: the requested tables of the scenario's views as typed columns. */
  batchTables(scenarioId: string, tables: readonly string[]): Promise<Map<string, WireTable>>
  /** The scenario's pseudonym key (never leaves the runtime): row-level releases derive consumers' pseudonyms from it. */
  scenarioSecret(scenarioId: string): Promise<Buffer>
  /** The view tables and fields a scenario exposes (after masking). */
  viewTables(scenarioId: string): Promise<ViewTable[]>
  /** The views file of a usable scenario, current (rebuilt if stale). */
  views(scenarioId: string): Promise<string>
  /** Product SQL: a single SELECT over the scenario's views, checked by DuckDB's parser, run on its views only. */
  query(scenarioId: string, sql: string): Promise<WireTable>
  /**
   * Batch path: every approved table grouped by the units of `unitTable` (its key field's values),
   * read from one opening of the views, and a key naming this version of the data.
   */
  unitTables(scenarioId: string, unitTable: string): Promise<{ readonly grouping: UnitGrouping; readonly dataKey: string }>
  /**
   * Declared aggregates: the runtime's own queries (never a partner's) over the unit table's view
   * and its key table (raw keys and unit ids, row-aligned with the view), on one read-only opening
   * of the current views.
   */
  withUnitView<T>(scenarioId: string, unitTable: string, work: (unitView: UnitView) => Promise<T>): Promise<T>
}

const keyField: FieldDefinition = {
  name: KEY_COLUMN,
  label: '查询键',
  type: 'text',
  level: 'L3',
  personal: false,
  identifier: 'none',
  mask: { rule: 'keep' },
  required: true,
}

const unitField: FieldDefinition = { ...keyField, name: UNIT_COLUMN, label: '统计单元编号', type: 'decimal' }

/**
 * Whether a view field's values are kept out of one-entity answers (api-output-rules.ts): masked
 * or kept values of personal identifier fields (names, phones, addresses, IDs, pseudonyms,
 * partial masks), and sensitive (L3/L4) personal amounts.
 */
function isGuarded(field: ViewTable['fields'][number]): boolean {
  const d = field.definition
  if (!d.personal) return false
  if (d.type === 'text') return d.identifier !== 'none' || field.mask.rule === 'pseudonym' || field.mask.rule === 'partial'
  return (d.type === 'integer' || d.type === 'decimal') && (d.level === 'L3' || d.level === 'L4')
}

/**
 * The views lock: `<views file>.lock`, refreshed while a build runs and taken over when its holder
 * stopped refreshing it for a minute (a killed process); a waiter retries for up to five minutes.
 * Should a lock be taken over while its build still runs, both builds finish: each writes its own
 * temporary file and renames it into place, so the file is whole either way.
 */
const VIEWS_LOCK = {
  realpath: false,
  stale: 60_000,
  update: 10_000,
  retries: { retries: 1200, factor: 1, minTimeout: 250, maxTimeout: 250 },
  onCompromised: () => undefined,
} as const

export function createDataGate(options: DataGateOptions): DataGate {
  const today = options.today ?? (() => cityDay())

  const usable = async (scenarioId: string): Promise<Scenario> => {
    const scenario = await options.scenarios.get(scenarioId)
    assertUsable(scenario, today())
    return scenario
  }

  // one build of a scenario's views at a time: in this process, callers arriving meanwhile wait for
  // it and then see the finished file; across processes sharing the views folder (replicas on one
  // host or volume, a command beside a server), a lock file beside the views makes the others wait
  // and then find it built. A build writes a temporary file renamed into place: no reader sees half of one.
  const building = new Map<string, Promise<void>>()

  const views = async (scenarioId: string): Promise<string> => {
    const scenario = await usable(scenarioId)
    const file = viewsPath(options.viewsDir, scenario.id)
    for (let pending = building.get(scenario.id); pending !== undefined; pending = building.get(scenario.id)) await pending.catch(() => undefined)
    const store = await openStore(options.storePath, { access: 'read-only' })
    const version = await storeVersion(store).finally(() => store.close())
    if (building.has(scenario.id)) return views(scenarioId)
    if (!(await isMaterialized(file, scenario.revision, version))) {
      if (building.has(scenario.id)) return views(scenarioId)
      const build = (async () => {
        mkdirSync(options.viewsDir, { recursive: true })
        const unlock = await lockfile.lock(file, VIEWS_LOCK)
        try {
          // another process may have built it while this one waited
          if (await isMaterialized(file, scenario.revision, version)) return
          await materializeScenario({
            storePath: options.storePath,
            viewsDir: options.viewsDir,
            scenarioId: scenario.id,
            revision: scenario.revision,
            tables: approvedTables(scenario, today()),
            catalog: options.catalog,
            secret: await options.scenarios.secret(scenario.id),
            unitSecret: await options.scenarios.unitSecret(),
            asOf: options.asOf,
          })
        } finally {
          await unlock()
        }
      })()
      building.set(scenario.id, build)
      try {
        await build
      } finally {
        building.delete(scenario.id)
      }
    }
    return file
  }

  const tablesOf = async (scenarioId: string): Promise<ViewTable[]> => viewTables(approvedTables(await usable(scenarioId), today()), options.catalog)

  const readTable = (store: Store, t: ViewTable): Promise<WireTable> => readColumns(store, { id: t.table }, t.fields.map((f) => ({ ...f.definition })))

  const runQuery = async (store: Store, tables: readonly ViewTable[], sql: string): Promise<WireTable> => {
    await checkProductSql(store.connection, sql, new Set(tables.map((t) => t.table)))
    return runProductSql(store.connection, sql)
  }

  /** The view tables of a scenario whose every table names its key field (one-entity and unit scenarios). */
  const keyedTables = async (scenarioId: string): Promise<ViewTable[]> => {
    const tables = await tablesOf(scenarioId)
    const missingKeys = tables.filter((t) => t.key === undefined)
    if (missingKeys.length > 0) {
      // publishing refuses such a product; a scenario changed since is the partner's to have decided again, never the caller's fault
      const problems = missingKeys.map((t) => ({ path: `scenario:/tables/${t.table}/key`, problem: 'a one-entity product needs a key field for every table, and the scenario sets none' }))
      throw new RuntimeError('ERR_PRODUCT_CANNOT_SERVE', 'The product cannot serve under its scenario as decided: ask the operator to decide the scenario again', { details: { problems, scenario: scenarioId } })
    }
    return tables
  }

  /** Each view table's approved fields, and its raw keys as `KEY_COLUMN` (never handed to a product as such); with `units`, their unit ids as `UNIT_COLUMN`. */
  const readKeyed = async (store: Store, tables: readonly ViewTable[], units = false): Promise<Map<string, WireTable>> => {
    const data = new Map<string, WireTable>()
    for (const t of tables) {
      const rows = await readTable(store, t)
      const keys = await readColumns(store, { id: keyTableName(t.table) }, units ? [keyField, unitField] : [keyField])
      if (keys.length !== rows.length) throw new RuntimeError('ERR_INTERNAL', 'A scenario view and its keys are not aligned')
      data.set(t.table, { length: rows.length, columns: { ...rows.columns, ...keys.columns } })
    }
    return data
  }

  /** Runs `work` on the scenario's current views file, opened read-only once. */
  const withViews = async <T>(scenarioId: string, work: (store: Store, tables: ViewTable[], file: string) => Promise<T>): Promise<T> => {
    const tables = await tablesOf(scenarioId)
    const file = await views(scenarioId)
    const store = await openStore(file, { access: 'read-only' })
    try {
      return await work(store, tables, file)
    } finally {
      store.close()
    }
  }

  return {
    usable,
    views,
    scenarioSecret: (scenarioId) => options.scenarios.secret(scenarioId),
    viewTables: tablesOf,

    async entityIndex(scenarioId) {
      const tables = await keyedTables(scenarioId)
      const file = await views(scenarioId)
      const mtime = statSync(file).mtimeMs
      const store = await openStore(file, { access: 'read-only' })
      try {
        const data = await readKeyed(store, tables)
        const scenario = await usable(scenarioId)
        const forOutput = new Set(scenario.release.outputFields)
        return buildEntityIndex(
          tables.map((t) => ({
            table: t.table,
            key: KEY_COLUMN,
            fields: t.fields.map((f) => f.name),
            guarded: t.fields.filter((f) => isGuarded(f) && !forOutput.has(`${t.table}.${f.name}`)).map((f) => f.name),
          })),
          data,
          staleAfterRebuild(file, mtime),
        )
      } finally {
        store.close()
      }
    },

    query: (scenarioId, sql) => withViews(scenarioId, (store, tables) => runQuery(store, tables, sql)),

    async unitTables(scenarioId, unitTable) {
      const tables = await keyedTables(scenarioId)
      return withViews(scenarioId, async (store, _tables, file) => {
        const grouping = groupByUnit(await readKeyed(store, tables, true), unitTable, KEY_COLUMN, UNIT_COLUMN)
        // the views file changes with every rebuild: its path and time name this version of the data
        return { grouping, dataKey: `${file}@${statSync(file).mtimeMs}#${unitTable}` }
      })
    },

    async withUnitView(scenarioId, unitTable, work) {
      const tables = await keyedTables(scenarioId)
      const view = tables.find((t) => t.table === unitTable)
      if (view === undefined) throw new RuntimeError('ERR_SCENARIO_INVALID', 'The unit table is not in the approved scenario', { details: { table: unitTable } })
      return withViews(scenarioId, async (store) => work({ connection: store.connection, view, keys: keyTableName(unitTable), unique: await hasUniqueKeys(store, unitTable) }))
    },

    async batchTables(scenarioId, requested) {
      const tables = await tablesOf(scenarioId)
      const byName = new Map(tables.map((t) => [t.table, t]))
      for (const name of requested) {
        if (!byName.has(name)) throw new RuntimeError('ERR_VIEW_COLUMN_DENIED', 'The table is not in the approved scenario', { details: { table: name } })
      }
      const file = await views(scenarioId)
      const store = await openStore(file, { access: 'read-only' })
      try {
        const out = new Map<string, WireTable>()
        for (const name of requested) {
          out.set(name, await readTable(store, byName.get(name)!))
        }
        return out
      } finally {
        store.close()
      }
    },
  }
}

/** How often a warm index looks at its views file: a rebuild is noticed within this, not on every call. */
const STALE_CHECK_MS = 250

/**
 * Whether the views file an index was built from has been rebuilt (replaced or gone). Looked at
 * once per `STALE_CHECK_MS` rather than on every call: a `stat` per call is synchronous I/O on the
 * serving loop, and a new approval is seen at once anyway (its revision is checked on every call
 * and again at commit).
 */
export function staleAfterRebuild(file: string, mtime: number): () => boolean {
  let stale = false
  let lookedAt = Date.now()
  return () => {
    if (stale) return true
    const now = Date.now()
    if (now - lookedAt < STALE_CHECK_MS) return false
    lookedAt = now
    stale = !existsSync(file) || statSync(file).mtimeMs !== mtime
    return stale
  }
}
