import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { importTable, openStore } from '../../../runtime/store/index.ts'
import { RuntimeError } from '../../../runtime/errors.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { csvText } from '../../helpers/csv-text.ts'

let sample: SampleStore
let header: string[]
let rows: string[][]

const csv = csvText

function deliver(name: string, content: string | Buffer): string {
  const path = join(sample.dir, name)
  writeFileSync(path, content)
  return path
}

async function tableDigest(table: string): Promise<string> {
  const store = await openStore(sample.path, { access: 'read-only' })
  try {
    const r = await store.connection.runAndReadAll(`SELECT count(*) || ':' || md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM "${table}" t`)
    return String(r.getRowsJS()[0]![0])
  } finally {
    store.close()
  }
}

const run = (table: string, file: string) => importTable({ catalog: sample.catalog, storePath: sample.path, table, file })

beforeAll(async () => {
  sample = await createSampleStore(2000, 'import')
  const store = await openStore(sample.path, { access: 'read-only' })
  try {
    const r = await store.connection.runAndReadAll(`SELECT * FROM tax_credit_rating ORDER BY taxpayer_uscc, year`)
    header = r.columnNames()
    rows = r.getRowsJS().map((row) => row.map((v) => (v === null ? null : String(v)))) as string[][]
  } finally {
    store.close()
  }
})
afterAll(() => sample.dispose())

describe('importing a department delivery', () => {
  it('replaces the table with a good CSV file, reports its quality and records the load', async () => {
    const subset = rows.slice(0, 40)
    const report = await run('tax_credit_rating', deliver('good.csv', csv(header, subset)))
    expect(report.accepted).toBe(true)
    expect(report.rows).toBe(40)
    expect(report.duplicateKeys).toBe(0)
    const score = report.fields.find((f) => f.field === 'score')!
    expect(score.nulls).toBe(subset.filter((r) => r[4] === null).length)
    expect((await tableDigest('tax_credit_rating')).startsWith('40:')).toBe(true)
    const store = await openStore(sample.path, { access: 'read-only' })
    try {
      const loads = await store.connection.runAndReadAll(
        `SELECT source, row_count, length(file_sha256) FROM indomain_meta.table_loads WHERE table_id = 'tax_credit_rating' AND source = 'import'`,
      )
      expect(loads.getRowsJS()).toEqual([['import', 40n, 64n]])
    } finally {
      store.close()
    }
  })

  it('accepts Parquet as well', async () => {
    const path = join(sample.dir, 'good.parquet')
    const helper = await DuckDBInstance.create(':memory:')
    const c = await helper.connect()
    await c.run(`CREATE TABLE x AS SELECT * FROM (VALUES ${rows
      .slice(0, 25)
      .map((r) => `('${r[0]}', '${r[1]}', ${r[2]}, '${r[3]}', ${r[4] ?? 'NULL'}, '${r[5]}')`)
      .join(', ')}) v(taxpayer_uscc, taxpayer_name, year, grade, score, tax_office)`)
    await c.run(`COPY x TO '${path}' (FORMAT parquet)`)
    c.closeSync()
    helper.closeSync()
    const report = await run('tax_credit_rating', path)
    expect(report.accepted).toBe(true)
    expect((await tableDigest('tax_credit_rating')).startsWith('25:')).toBe(true)
  })

  describe('rejects a broken file and leaves the stored table exactly as it was', () => {
    let before: string
    beforeAll(async () => {
      before = await tableDigest('tax_credit_rating')
    })
    afterAll(async () => {
      expect(await tableDigest('tax_credit_rating')).toBe(before)
    })

    const broken = (mutate: (body: string[][]) => void) => {
      const body = rows.slice(0, 30).map((r) => [...r])
      mutate(body)
      return body
    }

    it('a USCC with a wrong check character', async () => {
      const body = broken((b) => {
        const v = b[3]![0]!
        b[3]![0] = v.slice(0, 17) + (v[17] === 'A' ? 'B' : 'A')
      })
      const report = await run('tax_credit_rating', deliver('bad-uscc.csv', csv(header, body)))
      expect(report.accepted).toBe(false)
      expect(report.fields.find((f) => f.field === 'taxpayer_uscc')!.invalid).toBe(1)
      expect(report.problems.join()).toMatch(/check digit/)
    })

    it('a value outside the closed list, a wrong type and a missing required value', async () => {
      const body = broken((b) => {
        b[0]![3] = 'AAA'
        b[1]![2] = 'twenty-twenty'
        b[2]![1] = ''
      })
      const report = await run('tax_credit_rating', deliver('bad-values.csv', csv(header, body)))
      expect(report.accepted).toBe(false)
      const by = new Map(report.fields.map((f) => [f.field, f]))
      expect(by.get('grade')!.invalid).toBe(1)
      expect(by.get('year')!.invalid).toBe(1)
      expect(by.get('taxpayer_name')!.nulls).toBe(1)
    })

    it('duplicate keys', async () => {
      const body = broken((b) => b.push([...b[0]!]))
      const report = await run('tax_credit_rating', deliver('dupes.csv', csv(header, body)))
      expect(report.accepted).toBe(false)
      expect(report.duplicateKeys).toBe(1)
    })

    it('a missing required column and an unknown column', async () => {
      const head = header.filter((h) => h !== 'grade').concat('secret_note')
      const body = rows.slice(0, 5).map((r) => [...r.filter((_, i) => header[i] !== 'grade'), 'x'])
      const report = await run('tax_credit_rating', deliver('columns.csv', csv(head, body)))
      expect(report.accepted).toBe(false)
      expect(report.problems.join()).toMatch(/grade: required column missing/)
      expect(report.problems.join()).toMatch(/secret_note/)
    })

    it('an empty file', async () => {
      const report = await run('tax_credit_rating', deliver('empty.csv', csv(header, [])))
      expect(report.accepted).toBe(false)
    })

    it('a file that is not a table at all', async () => {
      const path = deliver('garbage.parquet', Buffer.from([0x50, 0x41, 0x52, 0x31, 1, 2, 3, 4, 5]))
      await expect(run('tax_credit_rating', path)).rejects.toMatchObject({ code: 'ERR_IMPORT_UNREADABLE' })
    })

    it('a file that does not exist, an unsupported format, or an unknown table', async () => {
      await expect(run('tax_credit_rating', join(sample.dir, 'missing.csv'))).rejects.toMatchObject({ code: 'ERR_IMPORT_UNREADABLE' })
      await expect(run('tax_credit_rating', deliver('x.xlsx', 'x'))).rejects.toMatchObject({ code: 'ERR_IMPORT_UNREADABLE' })
      await expect(run('no_such_table', deliver('y.csv', 'a\n1\n'))).rejects.toBeInstanceOf(RuntimeError)
    })
  })

  it('quotes the delivery path: a file name carrying SQL is read as a name, not run', async () => {
    const path = deliver("x'); SELECT * FROM read_csv('etc.csv", csv(header, rows.slice(0, 3)))
    const report = await run('tax_credit_rating', path)
    expect(report.accepted).toBe(true)
    expect(report.rows).toBe(3)
  })
})
