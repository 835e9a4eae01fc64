/**
 * The build's store path (staged chunks, the writer thread, DuckDB's appenders) stores exactly
 * what appending value by value stored: every type, NULLs in every column, decimals as DuckDB casts
 * them, texts on either side of DuckDB's twelve-byte inline limit, every row across chunk and
 * row-group boundaries; and a failure on either thread leaves the previous store. Each comparison
 * has a positive control: a reference that differs in one cell (or one row) is told apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildCatalog, loadCatalog, type Catalog } from '../../../catalog/load-catalog.ts'
import type { FieldType } from '../../../catalog/classification.ts'
import type { TableDefinition } from '../../../catalog/table-definition.ts'
import { generateSyntheticData } from '../../../catalog/synthetic/generate.ts'
import type { CellValue, TableSink } from '../../../catalog/synthetic/table-sink.ts'
import { TRUTH_TABLES } from '../../../catalog/synthetic/truth-tables.ts'
import { buildStore, openStore } from '../../../runtime/store/index.ts'
import { writeStore } from '../../../runtime/store/build-store.ts'
import { CHUNK_ROWS } from '../../../runtime/store/column-chunks.ts'
import { createTableSql, quoteIdentifier } from '../../../runtime/store/schema.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-build-chunks-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const FIELD_TYPES: Record<string, FieldType> = { seq: 'integer', t: 'text', d: 'date', ts: 'timestamp', n: 'decimal', n4: 'decimal', i: 'integer', b: 'boolean' }

/** A table with a field of every type (`n4` a decimal of scale 4), keyed by `seq`. */
function probeCatalog(): Catalog {
  const field = (name: string) => ({
    name,
    label: name,
    type: FIELD_TYPES[name]!,
    level: 'L1',
    personal: false,
    identifier: 'none',
    mask: 'keep',
    required: name === 'seq',
    ...(name === 'n4' ? { scale: 4 } : {}),
  })
  const raw = {
    id: 'probe',
    title: 'probe',
    source: '测试',
    updateFrequency: '不定期',
    entity: 'person',
    key: ['seq'],
    description: 'every field type',
    fields: Object.keys(FIELD_TYPES).map(field),
  }
  return buildCatalog([{ table: 'probe', raw }])
}

const TEXTS = [
  '',
  'a',
  '123456789012', // twelve bytes: the most DuckDB inlines
  '1234567890123', // thirteen: stored apart
  '四个汉字', // twelve bytes in four characters
  '五个汉字啊', // fifteen bytes in five
  '😀😀😀', // three surrogate pairs, twelve bytes
  '😀😀😀a',
  'a\uD800b', // a lone surrogate
  'nul\0inside',
  'a long text with a \0 and 汉字 and 😀 in it',
  '安徽省六安市裕安区韩摆渡镇佛子岭西路243号天悦一品6栋1单元101室',
  'x'.repeat(5000),
]
const DATES = ['2024-02-29', '1900-01-01', '9999-12-31', '2025-12-01']
const TIMESTAMPS = ['2025-12-01 07:01:06', '1970-01-01 00:00:00', '2024-02-29 23:59:59.123456']
const DECIMALS = [0, 0.01, 0.125, 790.08, -1234.565, 2.675, 1 / 3, 12345678901234.56, -0.005, 1e-7]
const INTEGERS = [0, -1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]

/** Row `k` of the probe table; each column is NULL on rows of its own, and `b` in the whole second chunk. */
function probeRow(k: number): CellValue[] {
  const nullIn = (column: number) => (k + column) % 7 === 0
  const pick = <T,>(list: readonly T[], column: number): T | null => (nullIn(column) ? null : list[(k * 5 + column) % list.length]!)
  const secondChunk = k >= CHUNK_ROWS && k < 2 * CHUNK_ROWS
  return [
    k,
    // runs of three equal texts (a long text repeated on the next rows travels once), NULLs among them
    nullIn(1) ? null : TEXTS[Math.floor(k / 3) % TEXTS.length]!,
    pick(DATES, 2),
    pick(TIMESTAMPS, 3),
    pick(DECIMALS, 4),
    pick(DECIMALS.map((d) => d * 3.3), 5),
    pick(INTEGERS, 6),
    secondChunk ? null : pick([true, false], 7),
  ]
}

const PROBE_COLUMNS = Object.keys(FIELD_TYPES)

/** Appends rows value by value, each with the appender method of its catalog type, as builds did before chunks. */
async function appendValueByValue(connection: DuckDBConnection, table: string, types: readonly string[], rows: Iterable<readonly CellValue[]>, schema?: string) {
  const appender = await connection.createAppender(table, schema)
  for (const row of rows) {
    row.forEach((v, j) => {
      if (v === null) appender.appendNull()
      else if (typeof v === 'string') appender.appendVarchar(v)
      else if (typeof v === 'boolean') appender.appendBoolean(v)
      else if (types[j] === 'integer') appender.appendBigInt(BigInt(v))
      else appender.appendDouble(v)
    })
    appender.endRow()
  }
  appender.closeSync()
}

/** Every row of a table in insertion order, typed as DuckDB reads them back, and its column types. */
async function contentOf(connection: DuckDBConnection, table: string): Promise<{ types: unknown[]; rows: unknown[][] }> {
  const types = (await connection.runAndReadAll(`SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table.split('.').at(-1)!])).getRowsJS()
  const rows = (await connection.runAndReadAll(`SELECT * FROM ${table} ORDER BY rowid`)).getRowsJS()
  return { types, rows }
}

async function withReference<T>(catalog: Catalog, fill: (connection: DuckDBConnection) => Promise<void>, read: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    await connection.run("SET TimeZone = 'UTC'")
    for (const t of catalog.tables) await connection.run(createTableSql(t))
    await fill(connection)
    return await read(connection)
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

async function storeContent(path: string, table: string) {
  const store = await openStore(path, { access: 'read-only' })
  try {
    return await contentOf(store.connection, table)
  } finally {
    store.close()
  }
}

/** A store of `rows` probe rows written through writeStore, with a step (the writer flushes) after `stepAfter` of them. */
function writeProbe(catalog: Catalog, path: string, rows: readonly (readonly CellValue[])[], stepAfter: number) {
  return writeStore({
    catalog,
    path,
    properties: [['origin', 'test']],
    write(sink, onStep) {
      onStep({ step: 'probe', done: 0, total: 2 })
      const writer = sink.open('probe', PROBE_COLUMNS)
      rows.forEach((row, k) => {
        if (k === stepAfter) onStep({ step: 'probe again', done: 1, total: 2 })
        writer.row(row)
      })
    },
  })
}

describe('the build writes chunks as values were written one by one', () => {
  const catalog = probeCatalog()
  const types = catalog.table('probe')!.fields.map((f) => f.type)

  it('keeps every type, NULL, decimal and text, and every row across chunks, a step and a row group', async () => {
    // two full chunks and one row, then a step mid-chunk, then past DuckDB's row group (122,880 rows) and a part chunk
    const count = 2 * CHUNK_ROWS + 1 + 122_880 + 7
    const rows = Array.from({ length: count }, (_, k) => probeRow(k))
    const path = join(dir, 'probe.duckdb')
    const result = await writeProbe(catalog, path, rows, 2 * CHUNK_ROWS + 1)
    expect(result.rows.get('probe')).toBe(count)

    const built = await storeContent(path, 'probe')
    const reference = await withReference(catalog, (c) => appendValueByValue(c, 'probe', types, rows), (c) => contentOf(c, 'probe'))
    expect(built.rows).toHaveLength(count)
    expect(built.types).toEqual(reference.types)
    expect(built.rows).toEqual(reference.rows)
    // the cells that matter most, spelled out
    const byKey = new Map(built.rows.map((r) => [Number(r[0]), r]))
    for (const k of [0, 1, 2, 3, 4, 5, CHUNK_ROWS - 1, CHUNK_ROWS, 2 * CHUNK_ROWS, count - 1]) {
      // DuckDB keeps text as UTF-8: a lone surrogate becomes U+FFFD, as it did value by value
      const want = probeRow(k)[1] as string | null
      expect(byKey.get(k)![1]).toBe(want?.toWellFormed() ?? null)
    }
    expect(built.rows.filter((r) => Number(r[0]) >= CHUNK_ROWS && Number(r[0]) < 2 * CHUNK_ROWS).every((r) => r[7] === null)).toBe(true)

    // positive control: one cell different, or one row fewer, is told apart
    const changed = rows.map((r, k) => (k === 2 * CHUNK_ROWS ? [...r.slice(0, 1), '1234567890124', ...r.slice(2)] : r))
    const oneCell = await withReference(catalog, (c) => appendValueByValue(c, 'probe', types, changed), (c) => contentOf(c, 'probe'))
    expect(built.rows).not.toEqual(oneCell.rows)
    const oneRow = await withReference(catalog, (c) => appendValueByValue(c, 'probe', types, rows.slice(0, -1)), (c) => contentOf(c, 'probe'))
    expect(built.rows).not.toEqual(oneRow.rows)
  }, 120_000)

  it('stores a table of a single row, and one of exactly one chunk', async () => {
    for (const count of [1, CHUNK_ROWS]) {
      const rows = Array.from({ length: count }, (_, k) => probeRow(k + 3))
      const path = join(dir, `probe-${count}.duckdb`)
      await writeProbe(catalog, path, rows, -1)
      const built = await storeContent(path, 'probe')
      const reference = await withReference(catalog, (c) => appendValueByValue(c, 'probe', types, rows), (c) => contentOf(c, 'probe'))
      expect(built.rows).toEqual(reference.rows)
      // positive control
      expect(built.rows).not.toEqual(reference.rows.slice(1))
    }
  })
})

describe('a failed build leaves the previous store', () => {
  const catalog = probeCatalog()

  async function keepsPrevious(path: string, failing: Promise<unknown>, code: string) {
    const before = await storeContent(path, 'probe')
    await expect(failing).rejects.toMatchObject({ code })
    expect(await storeContent(path, 'probe')).toEqual(before)
    expect(readdirSync(dir).filter((f) => f.includes('building'))).toEqual([])
  }

  it('when the generator writes a value of another type than its field (a number as text)', async () => {
    const path = join(dir, 'mismatch.duckdb')
    await writeProbe(catalog, path, [probeRow(1)], -1)
    const rows = Array.from({ length: 5000 }, (_, k) => probeRow(k))
    rows[4321] = [4321, 42, ...rows[4321]!.slice(2)]
    const failing = writeProbe(catalog, path, rows, -1)
    await keepsPrevious(path, failing, 'ERR_STORE_SCHEMA_MISMATCH')
    await expect(failing).rejects.toMatchObject({ details: { table: 'probe', field: 't' } })
    // positive control: the same rows with the text as text are stored
    rows[4321] = probeRow(4321)
    await expect(writeProbe(catalog, path, rows, -1)).resolves.toMatchObject({ rows: new Map([['probe', 5000]]) })
  })

  it('when the writer thread fails (a date DuckDB cannot read) while the generator keeps writing', async () => {
    const path = join(dir, 'thread-fails.duckdb')
    await writeProbe(catalog, path, [probeRow(1)], -1)
    // far more rows than the ring between the threads holds: the generator must learn of the failure, not wait forever
    const rows = Array.from({ length: 300_000 }, (_, k) => probeRow(k))
    rows[10] = [10, 'a', 'not a date', ...rows[10]!.slice(3)]
    const failing = writeProbe(catalog, path, rows, -1)
    await keepsPrevious(path, failing, 'ERR_STORE_BUILD_FAILED')
    await expect(failing).rejects.toMatchObject({ cause: { message: expect.stringMatching(/date/i) } })
    // positive control: with a date in its place the same rows are stored
    rows[10] = probeRow(10)
    await expect(writeProbe(catalog, path, rows, -1)).resolves.toMatchObject({ rows: new Map([['probe', 300_000]]) })
  }, 120_000)

  it('when the writer thread fails on the last rows, while the build is finishing', async () => {
    const path = join(dir, 'fails-last.duckdb')
    await writeProbe(catalog, path, [probeRow(1)], -1)
    const rows = Array.from({ length: 10 }, (_, k) => probeRow(k))
    rows[9] = [9, 'a', 'not a date', ...rows[9]!.slice(3)]
    await keepsPrevious(path, writeProbe(catalog, path, rows, -1), 'ERR_STORE_BUILD_FAILED')
    // positive control
    rows[9] = probeRow(9)
    await expect(writeProbe(catalog, path, rows, -1)).resolves.toMatchObject({ rows: new Map([['probe', 10]]) })
  })
})

describe('buildStore', () => {
  /** Every catalog table and ground-truth table of the synthetic world, appended value by value. */
  async function referenceOf(catalog: Catalog, seed: string, scale: number) {
    const tables = new Map<string, { types: string[]; rows: CellValue[][] }>()
    const sinkFor = (key: string, fields: readonly { name: string; type: string }[], columns: readonly string[]) => {
      const entry = { types: fields.map((f) => f.type), rows: [] as CellValue[][] }
      tables.set(key, entry)
      const sources = fields.map((f) => columns.indexOf(f.name))
      return { row: (values: readonly CellValue[]) => void entry.rows.push(sources.map((s) => (s < 0 ? null : (values[s] ?? null)))) }
    }
    const sink: TableSink = {
      open: (table, columns) => sinkFor(table, catalog.table(table)!.fields, columns),
      openTruth: (name) => sinkFor(`ground_truth.${name}`, TRUTH_TABLES[name], TRUTH_TABLES[name].map((c) => c.name)),
    }
    generateSyntheticData({ seed, scale }, sink)
    return withReference(
      catalog,
      async (c) => {
        await c.run('CREATE SCHEMA ground_truth')
        for (const [name, columns] of Object.entries(TRUTH_TABLES)) {
          const ddl = columns.map((col) => `${quoteIdentifier(col.name)} ${col.type === 'text' ? 'VARCHAR' : col.type === 'integer' ? 'BIGINT' : 'DOUBLE'}`)
          await c.run(`CREATE TABLE ground_truth.${quoteIdentifier(name)} (${ddl.join(', ')})`)
        }
        for (const [key, { types, rows }] of tables) {
          const [schema, table] = key.includes('.') ? key.split('.') : [undefined, key]
          await appendValueByValue(c, table!, types, rows, schema)
        }
      },
      async (c) => {
        const out = new Map<string, Awaited<ReturnType<typeof contentOf>>>()
        for (const key of tables.keys()) out.set(key, await contentOf(c, key))
        return out
      },
    )
  }

  it('stores the synthetic world as appending it value by value does, every table and ground truth', async () => {
    const catalog = loadCatalog()
    const path = join(dir, 'world.duckdb')
    const result = await buildStore({ catalog, path, scale: 1200, seed: 'chunks' })
    const reference = await referenceOf(catalog, 'chunks', 1200)
    expect(reference.size).toBeGreaterThan(catalog.tables.length)
    for (const [key, content] of reference) {
      expect(await storeContent(path, key), key).toEqual(content)
      expect(result.rows.get(key) ?? 0, key).toBe(content.rows.length)
    }
    // positive control: another seed's world is told apart
    const other = await referenceOf(catalog, 'other', 1200)
    expect(await storeContent(path, 'household_registration')).not.toEqual(other.get('household_registration'))
  }, 120_000)
})
