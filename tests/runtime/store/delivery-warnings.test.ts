/**
 * What a city's deliveries carry is reported, not hidden and not fatal: through `indomain catalog
 * import` a few mistyped references, a record filed twice, a district's late month and a reading
 * in the wrong unit are warnings on an accepted file; past the tolerance, mistyped references
 * reject it and the stored table is left as it was. `indomain catalog quality` runs the same
 * checks over a table already in the store. Each check has its control: the clean file warns of nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { mistypeDigit } from '../../../catalog/synthetic/delivery.ts'
import { createRandom } from '../../../catalog/synthetic/random.ts'
import { openStore } from '../../../runtime/store/index.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { csvText } from '../../helpers/csv-text.ts'

const BIN = new URL('../../../bin/indomain.js', import.meta.url).pathname
let sample: SampleStore
const tables = new Map<string, { header: string[]; rows: (string | null)[][] }>()

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args, '--db', sample.path], { encoding: 'utf8', env: { ...process.env, INDOMAIN_DATA_DIR: sample.dir } })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

function csvFile(name: string, header: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  const path = join(sample.dir, name)
  writeFileSync(path, csvText(header, rows))
  return path
}

async function read(sql: string): Promise<{ header: string[]; rows: (string | null)[][] }> {
  const store = await openStore(sample.path, { access: 'read-only' })
  try {
    // every value as the store writes it out as text, the way a department's export would
    const r = await store.connection.runAndReadAll(`SELECT COLUMNS(*)::VARCHAR FROM (${sql})`)
    return { header: r.columnNames(), rows: r.getRowsJS().map((row) => row.map((v) => (v === null ? null : String(v)))) }
  } finally {
    store.close()
  }
}

const warnings = (out: string) => out.split('\n').filter((l) => l.startsWith('warning: '))

beforeAll(async () => {
  sample = await createSampleStore(3000, 'delivery-warnings')
  // clean deliveries to start from: no mistyped reference, no repeated record, every district's every month
  tables.set('mortgage', await read(`SELECT * FROM mortgage WHERE mortgage_no NOT LIKE '%之一' AND (mortgagor_resident_id IS NULL OR mortgagor_resident_id IN (SELECT resident_id FROM household_registration)) ORDER BY mortgage_no LIMIT 300`))
  tables.set('water_usage', await read(`SELECT * FROM water_usage WHERE holder_uscc IS NULL AND address_code IN (SELECT address_code FROM water_usage GROUP BY 1 HAVING count(*) = 12 AND min(usage) > 1 AND max(usage) < 5 * median(usage)) AND left(address_code, 6) IN (SELECT DISTINCT left(address_code, 6) FROM water_usage WHERE period = '202512' ORDER BY 1 LIMIT 2) ORDER BY address_code, period`))
}, 120_000)
afterAll(() => sample.dispose())

describe('a delivery as a city sends it', () => {
  it('accepts a clean file with no warning (the control)', () => {
    const m = tables.get('mortgage')!
    const r = cli('catalog', 'import', 'mortgage', csvFile('clean-mortgage.csv', m.header, m.rows))
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('accepted')
    expect(warnings(r.out)).toEqual([])
  })

  it('accepts a file with one mistyped reference, warning that it will match nothing; rejects one with too many and keeps the table', async () => {
    const m = tables.get('mortgage')!
    const column = m.header.indexOf('mortgagor_resident_id')
    const r = createRandom('test', 'mistype')
    const persons = m.rows.filter((row) => row[column] !== null)
    expect(persons.length).toBeGreaterThan(150)
    const one = m.rows.map((row) => (row === persons[0] ? row.map((v, i) => (i === column ? mistypeDigit(v!, r) : v)) : row))
    const accepted = cli('catalog', 'import', 'mortgage', csvFile('one-mistyped.csv', m.header, one))
    expect(accepted.code, accepted.err).toBe(0)
    expect(warnings(accepted.out).join('\n')).toMatch(/mortgagor_resident_id: 1 resident_id value\(s\) fail their check digit.*match nothing/)

    const before = await read(`SELECT count(*) AS n, max(mortgage_no) AS last FROM mortgage`)
    const many = m.rows.map((row, i) => (i % 20 === 0 && row[column] !== null ? row.map((v, j) => (j === column ? mistypeDigit(v!, r) : v)) : row))
    const rejected = cli('catalog', 'import', 'mortgage', csvFile('many-mistyped.csv', m.header, many.slice(0, 200)))
    expect(rejected.code).not.toBe(0)
    expect(rejected.out + rejected.err).toMatch(/REJECTED.*mortgagor_resident_id.*check digit/)
    expect(await read(`SELECT count(*) AS n, max(mortgage_no) AS last FROM mortgage`)).toEqual(before)
  })

  it('warns of a record filed twice under another number', () => {
    const m = tables.get('mortgage')!
    const key = m.header.indexOf('mortgage_no')
    const twice = [...m.rows, m.rows[5]!.map((v, i) => (i === key ? `${v}之一` : v))]
    const r = cli('catalog', 'import', 'mortgage', csvFile('twice.csv', m.header, twice))
    expect(r.code, r.err).toBe(0)
    expect(warnings(r.out)).toEqual(['warning: 1 record(s) repeat another in every field but mortgage_no (filed twice?)'])
  })

  it("warns of a district whose last month is missing, and of a reading a thousand times its account's", () => {
    const w = tables.get('water_usage')!
    const code = w.header.indexOf('address_code')
    const period = w.header.indexOf('period')
    const usage = w.header.indexOf('usage')
    const districts = [...new Set(w.rows.map((row) => row[code]!.slice(0, 6)))]
    expect(districts.length).toBe(2)
    const clean = cli('catalog', 'import', 'water_usage', csvFile('water-clean.csv', w.header, w.rows))
    expect(clean.code, clean.err).toBe(0)
    expect(warnings(clean.out)).toEqual([])

    const late = w.rows.filter((row) => !(row[code]!.startsWith(districts[1]!) && row[period] === '202512'))
    const litres = late.map((row, i) => (i === 3 ? row.map((v, j) => (j === usage ? String(Number(v) * 1000) : v)) : row))
    const r = cli('catalog', 'import', 'water_usage', csvFile('water-late.csv', w.header, litres))
    expect(r.code, r.err).toBe(0)
    const said = warnings(r.out).join('\n')
    expect(said).toContain(`period 202512 missing for district ${districts[1]}`)
    expect(said).not.toContain(`district ${districts[0]}`)
    expect(said).toMatch(/usage: 1 value\(s\) over 100 times their account's median/)
  })
})

describe('indomain catalog quality', () => {
  it("reports a generated table's delivery problems and changes nothing", async () => {
    const fresh = await createSampleStore(3000, 'delivery-quality')
    try {
      const before = await openStore(fresh.path, { access: 'read-only' })
      const count = async () => String((await before.connection.runAndReadAll('SELECT count(*) FROM dishonest_debtor')).getRowsJS()[0]![0])
      const rows = await count()
      before.close()
      const result = spawnSync(process.execPath, [BIN, 'catalog', 'quality', 'power_usage', '--db', fresh.path], { encoding: 'utf8' })
      expect(result.status, result.stderr).toBe(0)
      expect(result.stdout).toContain('data-quality report for power_usage')
      expect(warnings(result.stdout).join('\n')).toMatch(/period 202512 missing for district \d{6}/)
      expect(result.stdout).not.toContain('REJECTED')
      const after = await openStore(fresh.path, { access: 'read-only' })
      expect(String((await after.connection.runAndReadAll('SELECT count(*) FROM dishonest_debtor')).getRowsJS()[0]![0])).toBe(rows)
      after.close()
      const unknown = spawnSync(process.execPath, [BIN, 'catalog', 'quality', 'no_such_table', '--db', fresh.path], { encoding: 'utf8' })
      expect(unknown.status).not.toBe(0)
      expect(unknown.stderr).toContain('ERR_CATALOG_TABLE_UNKNOWN')
    } finally {
      fresh.dispose()
    }
  })
})
