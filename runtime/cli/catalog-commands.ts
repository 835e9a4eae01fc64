/** `indomain catalog build | list | show | quality | import`. */
import { InvalidArgumentError, type Command } from 'commander'
import { SingleBar, Presets } from 'cli-progress'
import Table from 'cli-table3'
import { loadCatalog, type Catalog } from '../../catalog/load-catalog.ts'
import { LEVEL_LABELS } from '../../catalog/classification.ts'
import type { MaskRule } from '../../catalog/classification.ts'
import { loadConfig, type RuntimeConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { assessStoredTable, buildStore, importTable, openStore, readStoreInfo, type ImportReport, type Store, type StoreInfo } from '../store/index.ts'
import { encryptedFields } from '../he/he-store.ts'
import { audit } from './audit.ts'

export function registerCatalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('the catalog of public data and the in-domain store')

  catalog
    .command('build')
    .description('generate the synthetic world and write it to the store (atomically)')
    .option('--scale <persons>', 'number of persons', parseInteger, 20_000)
    .option('--seed <seed>', 'seed of the synthetic world', 'indomain')
    .option('--db <path>', 'store file (default: data/indomain.duckdb)')
    .action(async (options: { scale: number; seed: string; db?: string }) => {
      const config = loadConfig()
      const result = await buildWithProgress(config, options.db ?? config.storePath, options.scale, options.seed)
      await audit(config, { actor: 'operator', action: 'catalog.built', subject: result.path, detail: { scale: options.scale, seed: options.seed, rows: result.totalRows } })
      process.stdout.write(
        `built ${result.path}: ${options.scale.toLocaleString('en')} persons, ${result.totalRows.toLocaleString('en')} rows, ` +
          `${(result.bytes / 2 ** 20).toFixed(1)} MiB in ${result.seconds.toFixed(1)} s\n`,
      )
    })

  catalog
    .command('list')
    .description('list the catalog tables with source, update frequency and row counts')
    .option('--db <path>', 'store file')
    .action(async (options: { db?: string }) => {
      const config = loadConfig()
      const definitions = loadCatalog(config.catalogDir)
      const info = await readInfo(options.db ?? config.storePath, definitions)
      process.stdout.write(renderCatalogList(definitions, info))
    })

  catalog
    .command('show <table>')
    .description('show a table: fields with Chinese labels, levels, identifier kinds and default masks')
    .option('--db <path>', 'store file')
    .action(async (tableId: string, options: { db?: string }) => {
      const config = loadConfig()
      const definitions = loadCatalog(config.catalogDir)
      const table = definitions.table(tableId)
      if (table === undefined) throw new RuntimeError('ERR_CATALOG_TABLE_UNKNOWN', 'No such table in the catalog', { details: { table: tableId } })
      const info = await readInfo(options.db ?? config.storePath, definitions)
      const encrypted = info === undefined ? new Map() : await withReadOnlyStore(options.db ?? config.storePath, (store) => encryptedFields(store.connection))
      process.stdout.write(renderTable(definitions, tableId, info, encrypted))
    })

  catalog
    .command('quality <table>')
    .description('the data-quality report of a table as it is in the store (the checks of an import)')
    .option('--db <path>', 'store file')
    .action(async (tableId: string, options: { db?: string }) => {
      const config = loadConfig()
      const report = await assessStoredTable({ catalog: loadCatalog(config.catalogDir), storePath: options.db ?? config.storePath, table: tableId })
      process.stdout.write(renderImportReport(report))
    })

  catalog
    .command('import <table> <file>')
    .description('replace a table with a department\'s delivery (CSV or Parquet), after validating it')
    .option('--db <path>', 'store file')
    .action(async (tableId: string, file: string, options: { db?: string }) => {
      const config = loadConfig()
      const definitions = loadCatalog(config.catalogDir)
      const report = await importTable({ catalog: definitions, storePath: options.db ?? config.storePath, table: tableId, file })
      await audit(config, {
        actor: 'data-provider',
        action: report.accepted ? 'catalog.imported' : 'catalog.import_rejected',
        subject: tableId,
        detail: { rows: report.rows, duplicateKeys: report.duplicateKeys, problems: report.problems.length, warnings: report.warnings.length },
      })
      process.stdout.write(renderImportReport(report))
      if (!report.accepted) {
        throw new RuntimeError('ERR_IMPORT_INVALID', 'The file was rejected; the stored table is unchanged', {
          details: { table: tableId, problems: report.problems },
        })
      }
    })
}

function parseInteger(value: string): number {
  const n = Number(value.replaceAll('_', '').replaceAll(',', ''))
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer')
  return n
}

export async function buildWithProgress(config: RuntimeConfig, path: string, scale: number, seed: string) {
  const definitions = loadCatalog(config.catalogDir)
  const bar = new SingleBar(
    { format: 'building {bar} {percentage}% | {step} | {rows} rows | {duration_formatted}', hideCursor: true, stream: process.stderr },
    Presets.shades_classic,
  )
  bar.start(1, 0, { step: 'world', rows: '0' })
  try {
    const result = await buildStore({
      catalog: definitions,
      path,
      scale,
      seed,
      onProgress: (p) => {
        bar.setTotal(p.stepsTotal)
        bar.update(p.stepsDone, { step: p.step, rows: p.rowsWritten.toLocaleString('en') })
      },
    })
    bar.stop()
    let totalRows = 0
    for (const [table, n] of result.rows) if (!table.includes('.')) totalRows += n
    return { ...result, totalRows }
  } catch (error) {
    bar.stop()
    throw error
  }
}

async function withReadOnlyStore<T>(path: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(path, { access: 'read-only' })
  try {
    return await work(store)
  } finally {
    store.close()
  }
}

async function readInfo(path: string, catalog: Catalog): Promise<StoreInfo | undefined> {
  try {
    const store = await openStore(path, { access: 'read-only' })
    try {
      return await readStoreInfo(store, catalog)
    } finally {
      store.close()
    }
  } catch (error) {
    if (error instanceof RuntimeError && error.code === 'ERR_STORE_MISSING') return undefined
    throw error
  }
}

export function renderCatalogList(catalog: Catalog, info: StoreInfo | undefined): string {
  const table = new Table({ head: ['表 table', '名称', '数源单位 source', '更新频率', '字段', '最高级别', '行数 rows'], style: { head: [], border: [] } })
  for (const t of catalog.tables) {
    const top = t.fields.reduce((m, f) => (f.level > m ? f.level : m), 'L1')
    const rows = info?.rowCounts.get(t.id)
    table.push([t.id, t.title, t.source, t.updateFrequency, t.fields.length, top, rows === undefined ? '—' : rows.toLocaleString('en')])
  }
  const origin = info === undefined ? 'no store yet (indomain catalog build)' : describeStore(info)
  return `${table.toString()}\n${catalog.tables.length} tables · ${origin}\n`
}

function describeStore(info: StoreInfo): string {
  const p = info.properties
  return p.get('origin') === 'synthetic'
    ? `synthetic store: seed ${p.get('seed')}, ${Number(p.get('scale')).toLocaleString('en')} persons, built ${p.get('built_at')}`
    : 'store'
}

export function describeMask(mask: MaskRule): string {
  switch (mask.rule) {
    case 'generalize':
      return `generalize → ${mask.to}`
    case 'bucketize':
      return `bucketize [${mask.bounds.join(', ')}]`
    case 'partial':
      return mask.keepStart === undefined && mask.keepEnd === undefined ? 'partial' : `partial ${mask.keepStart ?? 0}…${mask.keepEnd ?? 0}`
    default:
      return mask.rule
  }
}

export function renderTable(catalog: Catalog, id: string, info: StoreInfo | undefined, encrypted: ReadonlyMap<string, { scale: number; plaintextDropped: boolean }> = new Map()): string {
  const t = catalog.table(id)!
  const rows = info?.rowCounts.get(id)
  const header =
    `${t.id} ${t.title}\n` +
    `数源单位 ${t.source} · 更新频率 ${t.updateFrequency} · 主键 ${t.key.join(', ')} · 行数 ${rows === undefined ? '—' : rows.toLocaleString('en')}\n` +
    `${t.description}\n`
  const table = new Table({ head: ['字段 field', '中文名', '类型', '级别', '个人信息', '标识类型', '默认脱敏', '约束'], style: { head: [], border: [] } })
  for (const f of t.fields) {
    const constraints = [
      f.required ? '必填' : '',
      f.references === undefined ? '' : `→ ${f.references}`,
      f.values === undefined ? '' : `∈ {${f.values.join('/')}}`,
      f.pattern === undefined ? '' : `~ ${f.pattern}`,
      ((e) => (e === undefined ? '' : `同态加密 BFV ×${e.scale}${e.plaintextDropped ? '（明文已删除）' : ''}`))(encrypted.get(`${id}.${f.name}`)),
    ]
      .filter(Boolean)
      .join(' ')
    table.push([f.name, f.label, f.type + (f.type === 'decimal' ? `(${f.scale ?? 2})` : ''), `${f.level} ${LEVEL_LABELS[f.level]}`, f.personal ? '是' : '否', f.identifier, describeMask(f.mask), constraints])
  }
  return `${header}${table.toString()}\n`
}

export function renderImportReport(report: ImportReport): string {
  const table = new Table({ head: ['字段 field', 'nulls', 'invalid', 'problem'], style: { head: [], border: [] } })
  for (const f of report.fields) table.push([f.field, f.nulls, f.invalid, f.problems.join('; ')])
  const verdict = report.file === 'store' ? '' : report.accepted ? `accepted: ${report.table} replaced with ${report.rows} rows\n` : `REJECTED: ${report.problems.join('; ')}\n`
  const warnings = report.warnings.map((w) => `warning: ${w}\n`).join('')
  return `data-quality report for ${report.table} (${report.rows} rows, ${report.duplicateKeys} duplicate keys)\n${table.toString()}\n${warnings}${verdict}`
}
