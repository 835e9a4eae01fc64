import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'

const BIN = new URL('../../../bin/indomain.js', import.meta.url).pathname
let sample: SampleStore

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, INDOMAIN_DATA_DIR: sample.dir } })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

beforeAll(async () => {
  sample = await createSampleStore(1000, 'cli')
})
afterAll(() => sample.dispose())

describe('indomain catalog', () => {
  it('list prints every table with Chinese titles, sources and row counts', () => {
    const r = cli('catalog', 'list', '--db', sample.path)
    expect(r.code).toBe(0)
    expect(r.out).toContain('企业基本信息')
    expect(r.out).toContain('市市场监管局')
    expect(r.out).toMatch(/household_registration.*1,000/)
    expect(r.out).toContain('32 tables')
  })

  it('show prints labels, levels, identifier kinds and masks of one table', () => {
    const r = cli('catalog', 'show', 'social_insurance_enrollment', '--db', sample.path)
    expect(r.code).toBe(0)
    expect(r.out).toContain('社会保障卡金融账号')
    expect(r.out).toMatch(/bank_card_no.*L4.*bank_card.*drop/)
    expect(r.out).toContain('每日')
  })

  it('show of an unknown table exits 1 with a typed error', () => {
    const r = cli('catalog', 'show', 'no_such_table', '--db', sample.path)
    expect(r.code).toBe(1)
    expect(JSON.parse(r.err.trim().split('\n')[0]!)).toMatchObject({ code: 'ERR_CATALOG_TABLE_UNKNOWN' })
  })

  it('import prints a data-quality report and exits 1 on a rejected file', () => {
    const file = join(sample.dir, 'bad.csv')
    writeFileSync(file, 'taxpayer_uscc,taxpayer_name,year,grade,score,tax_office\nNOTAUSCC,某公司,2024,Z,90,某税务局\n')
    const r = cli('catalog', 'import', 'tax_credit_rating', file, '--db', sample.path)
    expect(r.code).toBe(1)
    expect(r.out).toContain('data-quality report')
    expect(r.out).toContain('REJECTED')
    expect(r.err).toContain('ERR_IMPORT_INVALID')
  })

  it('rejects a bad --scale before doing anything', () => {
    const r = cli('catalog', 'build', '--scale', '-5', '--db', join(sample.dir, 'never.duckdb'))
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/positive integer/)
  })
})
