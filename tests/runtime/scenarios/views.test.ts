import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isValidResidentId } from '../../../catalog/identifiers/resident-id.ts'
import { isValidMobile } from '../../../catalog/identifiers/phone.ts'
import { importTable, openStore } from '../../../runtime/store/index.ts'
import { createScenarioFixture, type ScenarioFixture } from '../../helpers/scenario-fixture.ts'
import type { Scenario } from '../../../runtime/scenarios/scenario.ts'

let f: ScenarioFixture
let people: Scenario

beforeAll(async () => {
  f = await createScenarioFixture(2000, 'views')
  people = await f.approve({
    tables: {
      household_registration: {
        fields: { resident_id: '关联', name: '姓名', phone: '联系', birth_date: '年龄', address: '居住区域', district_code: '区县', ethnicity: '民族' },
      },
      social_insurance_enrollment: { fields: { resident_id: '关联', contribution_base: '收入段', bank_card_no: '账户' } },
    },
  }, { deny: { 'household_registration.ethnicity': '与用途无关' }, approve: { 'household_registration.address': { rule: 'generalize', to: 'compound' } } })
})
afterAll(() => f.close())

describe('a scenario\'s views', () => {
  it('hold only approved fields: denied and dropped fields and other tables are absent', async () => {
    const file = await f.gate.views(people.id)
    const store = await openStore(file, { access: 'read-only' })
    try {
      const tables = (await store.connection.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1`)).getRowsJS().map(([t]) => t)
      expect(tables).toEqual(['household_registration', 'indomain_key_meta', 'indomain_view_meta', 'social_insurance_enrollment'])
      const columns = (await store.connection.runAndReadAll(`SELECT column_name FROM duckdb_columns() WHERE table_name = 'household_registration' ORDER BY column_index`)).getRowsJS().map(([c]) => c)
      expect([...columns].sort()).toEqual(['address', 'birth_date', 'district_code', 'name', 'phone', 'resident_id'])
      const sic = (await store.connection.runAndReadAll(`SELECT column_name FROM duckdb_columns() WHERE table_name = 'social_insurance_enrollment'`)).getRowsJS().map(([c]) => c)
      expect([...sic].sort()).toEqual(['contribution_base', 'resident_id'])
    } finally {
      store.close()
    }
  })

  it('never hold a direct identifier unmasked: no valid resident ID or mobile number anywhere', async () => {
    const rows = await f.viewRows(people.id, 'household_registration')
    expect(rows.length).toBe(2000)
    for (const row of rows) {
      for (const value of Object.values(row)) {
        const text = String(value)
        for (const token of text.match(/\d{11,18}X?/g) ?? []) {
          expect(isValidResidentId(token), token).toBe(false)
          expect(isValidMobile(token), token).toBe(false)
        }
      }
    }
  })

  it('mask as approved: pseudonyms, 张*三, 138****1234, birth year, compound, bands', async () => {
    const raw = await f.storeRows(`SELECT resident_id, name, phone, CAST(birth_date AS VARCHAR) AS birth_date, address FROM household_registration ORDER BY rowid LIMIT 50`)
    const masked = (await f.viewRows(people.id, 'household_registration')).slice(0, 50)
    raw.forEach((r, i) => {
      const m = masked[i]!
      expect(m.resident_id).toMatch(/^p_[a-z]{20}$/)
      const name = String(r.name)
      expect(m.name).toBe(name.length <= 2 ? `${name[0]}*` : `${name[0]}${'*'.repeat(name.length - 2)}${name.at(-1)}`)
      if (r.phone !== null) expect(m.phone).toBe(`${String(r.phone).slice(0, 3)}****${String(r.phone).slice(-4)}`)
      expect(m.birth_date).toBe(String(r.birth_date).slice(0, 4))
      expect(String(r.address).startsWith(String(m.address))).toBe(true)
      expect(m.address).not.toMatch(/\d+(栋|组)|\d+室|单元/)
    })
    const bands = new Set((await f.viewRows(people.id, 'social_insurance_enrollment')).map((r) => r.contribution_base))
    // a base the department left empty stays empty; every other is a band
    expect([...bands].filter((b) => b !== null).length).toBeGreaterThan(1)
    for (const b of bands) if (b !== null) expect(String(b)).toMatch(/^(<4000|\d+-\d+|>=20000)$/)
  })

  it('give one person one pseudonym across tables within a scenario, and unlinkable ones across scenarios', async () => {
    const hr = await f.viewRows(people.id, 'household_registration')
    const si = await f.viewRows(people.id, 'social_insurance_enrollment')
    const known = new Set(hr.map((r) => r.resident_id))
    expect(si.length).toBeGreaterThan(100)
    expect(si.every((r) => known.has(r.resident_id))).toBe(true)
    const other = await f.approve({ tables: { household_registration: { fields: { resident_id: '关联' } } } })
    const otherIds = new Set((await f.viewRows(other.id, 'household_registration')).map((r) => r.resident_id))
    expect(otherIds.size).toBe(2000)
    expect([...known].filter((p) => otherIds.has(p))).toEqual([])
  })

  it('apply the row filter', async () => {
    const [{ code }] = (await f.storeRows(`SELECT district_code AS code FROM household_registration GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)) as [{ code: string }]
    const s = await f.approve({ tables: { household_registration: { fields: { district_code: '区县', sex: '性别' } } } }, { rowFilters: { household_registration: { field: 'district_code', values: [code] } } })
    const rows = await f.viewRows(s.id, 'household_registration')
    const expected = await f.storeRows(`SELECT count(*) AS n FROM household_registration WHERE district_code = $1`, [code])
    expect(rows.length).toBe(Number(expected[0]!.n))
    expect(rows.every((r) => r.district_code === code)).toBe(true)
  })

  it('are rebuilt when the store changes and when the decision changes', async () => {
    const s = await f.approve({ tables: { tax_credit_rating: { fields: { grade: '等级', year: '年度' } } } })
    const before = await f.viewRows(s.id, 'tax_credit_rating')
    const file = join(f.dir, 'rating.csv')
    writeFileSync(file, 'taxpayer_uscc,taxpayer_name,year,grade,score,tax_office\n91350100M000100Y43,某公司,2024,A,95,某税务局\n')
    const report = await importTable({ catalog: f.catalog, storePath: f.path, table: 'tax_credit_rating', file })
    expect(report.accepted).toBe(true)
    const after = await f.viewRows(s.id, 'tax_credit_rating')
    expect(before.length).toBeGreaterThan(1)
    expect(after).toEqual([{ grade: 'A', year: 2024n }])
    await f.scenarios.decide(s.id, { operator: 'op', approve: { 'tax_credit_rating.grade': 'default' }, deny: { 'tax_credit_rating.year': '不需要' }, expiresOn: '2099-01-01' }, f.catalog)
    expect(await f.viewRows(s.id, 'tax_credit_rating')).toEqual([{ grade: 'A' }])
  })

  it('become unusable at once when the approval is revoked or expires', async () => {
    const s = await f.approve({ tables: { household_registration: { key: 'resident_id', fields: { sex: '性别' } } } })
    await expect(f.gate.entityIndex(s.id)).resolves.toBeDefined()
    await f.scenarios.revoke(s.id, 'op', '停止合作')
    await expect(f.gate.entityIndex(s.id)).rejects.toMatchObject({ code: 'ERR_SCENARIO_REVOKED' })
    await expect(f.gate.batchTables(s.id, ['household_registration'])).rejects.toMatchObject({ code: 'ERR_SCENARIO_REVOKED' })
    await expect(f.gate.query(s.id, 'SELECT sex FROM household_registration')).rejects.toMatchObject({ code: 'ERR_SCENARIO_REVOKED' })
  })
})
