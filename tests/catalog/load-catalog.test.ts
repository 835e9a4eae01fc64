import { describe, expect, it } from 'vitest'
import { buildCatalog, loadCatalog } from '../../catalog/load-catalog.ts'
import { CatalogError } from '../../catalog/catalog-error.ts'

const REQUIRED_TITLES = [
  '企业基本信息', '社保缴纳信息', '社保缴纳明细', '欠税信息', '纳税信用等级信息', '不动产信息', '抵押权信息', '户籍信息',
  '失信被执行人信息', '用水信息', '用气信息', '用电信息', '房屋租赁登记备案信息', '老年人基础信息', '公积金缴纳信息', '乘车刷卡信息',
]

function validTable(overrides: Record<string, unknown> = {}, fieldOverrides: Record<string, unknown> = {}) {
  return {
    id: 'sample',
    title: '样例',
    source: '市数据资源局',
    updateFrequency: '每日',
    entity: 'person',
    key: ['resident_id'],
    description: '测试用',
    fields: [
      { name: 'resident_id', label: '公民身份号码', type: 'text', level: 'L3', personal: true, identifier: 'resident_id', mask: 'pseudonym', required: true },
      { name: 'amount', label: '金额', type: 'decimal', level: 'L2', personal: false, identifier: 'none', mask: 'keep', ...fieldOverrides },
    ],
    ...overrides,
  }
}

function issuesOf(run: () => unknown) {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError)
    expect((error as CatalogError).code).toBe('ERR_CATALOG_INVALID')
    return (error as CatalogError).issues
  }
  throw new Error('expected the catalog to be rejected')
}

describe('the shipped catalog', () => {
  const catalog = loadCatalog()

  it('defines at least 15 tables, including every table the seeds name for this issue', () => {
    expect(catalog.tables.length).toBeGreaterThanOrEqual(15)
    const titles = new Set(catalog.tables.map((t) => t.title))
    for (const title of REQUIRED_TITLES) expect(titles, title).toContain(title)
  })

  it('gives every table a source, a frequency and fully classified fields', () => {
    for (const t of catalog.tables) {
      expect(t.source.length).toBeGreaterThan(0)
      for (const f of t.fields) {
        expect(['L1', 'L2', 'L3', 'L4']).toContain(f.level)
        expect(f.label).toMatch(/[\u4e00-\u9fff]/)
        if (f.level === 'L4') expect(f.mask.rule).not.toBe('keep')
        if (['resident_id', 'phone', 'bank_card', 'plate', 'uscc'].includes(f.identifier)) expect(f.mask.rule).not.toBe('keep')
      }
    }
  })

  it('has a stable hash that changes with a definition', () => {
    expect(loadCatalog().hash).toBe(catalog.hash)
    const changed = buildCatalog([{ table: 'sample', raw: validTable() }])
    expect(changed.hash).not.toBe(catalog.hash)
  })

  it('is frozen: a loaded definition cannot be edited in memory', () => {
    const table = catalog.table('household_registration')!
    expect(() => {
      ;(table.fields[0] as { level: string }).level = 'L1'
    }).toThrow(TypeError)
  })
})

describe('catalog validation names the table and the field', () => {
  it('accepts a valid definition', () => {
    expect(buildCatalog([{ table: 'sample', raw: validTable() }]).tables).toHaveLength(1)
  })

  it('rejects an unknown classification level', () => {
    const issues = issuesOf(() => buildCatalog([{ table: 'sample', raw: validTable({}, { level: 'L5' }) }]))
    expect(issues).toContainEqual(expect.objectContaining({ table: 'sample', field: 'amount' }))
  })

  it('rejects L4 data that would leave unmasked by default', () => {
    const issues = issuesOf(() => buildCatalog([{ table: 'sample', raw: validTable({}, { level: 'L4' }) }]))
    expect(issues).toContainEqual(expect.objectContaining({ table: 'sample', field: 'amount', message: expect.stringContaining('L4') }))
  })

  it('rejects a direct identifier with mask keep', () => {
    const raw = validTable()
    ;(raw.fields[0] as { mask: string }).mask = 'keep'
    const issues = issuesOf(() => buildCatalog([{ table: 'sample', raw }]))
    expect(issues).toContainEqual(expect.objectContaining({ field: 'resident_id', message: expect.stringContaining('direct identifier') }))
  })

  it('rejects a mask that does not fit the field type', () => {
    const issues = issuesOf(() => buildCatalog([{ table: 'sample', raw: validTable({}, { mask: { rule: 'generalize', to: 'year' } }) }]))
    expect(issues).toContainEqual(expect.objectContaining({ field: 'amount', message: expect.stringContaining('generalize') }))
  })

  it('rejects references to unknown tables and fields, and keys that are not defined', () => {
    const raw = validTable({ key: ['resident_id', 'missing_key'] }, { references: 'nowhere.field' })
    const issues = issuesOf(() => buildCatalog([{ table: 'sample', raw }]))
    expect(issues).toContainEqual(expect.objectContaining({ field: 'amount', message: expect.stringContaining('unknown table') }))
    expect(issues).toContainEqual(expect.objectContaining({ field: 'missing_key', message: expect.stringContaining('key') }))
  })

  it('rejects duplicate fields, a mismatched id and bad JSON, reporting all of them at once', () => {
    const raw = validTable({ id: 'other' })
    raw.fields.push({ ...raw.fields[1]! })
    const issues = issuesOf(() =>
      buildCatalog([
        { table: 'sample', raw },
        { table: 'broken', raw: undefined, parseError: 'Unexpected token' },
      ]),
    )
    expect(issues).toContainEqual(expect.objectContaining({ table: 'other', field: 'amount', message: 'is defined twice' }))
    expect(issues).toContainEqual(expect.objectContaining({ table: 'sample', message: expect.stringContaining('file name') }))
    expect(issues).toContainEqual(expect.objectContaining({ table: 'broken', message: expect.stringContaining('JSON') }))
  })

  it('rejects fields of the wrong shape with the field named, and unknown properties', () => {
    const raw = validTable({}, { colour: 'red', type: 'money' })
    const issues = issuesOf(() => buildCatalog([{ table: 'sample', raw }]))
    expect(issues.filter((i) => i.field === 'amount').length).toBeGreaterThanOrEqual(1)
  })
})
