/**
 * Attack: product SQL that tries to reach what its scenario does not expose — base tables,
 * catalog functions, table functions, other scenarios, CTE shadowing, comments and string tricks.
 * Every attempt must fail with ERR_SQL_REJECTED before it runs, and what does run sees only views.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioFixture, type ScenarioFixture } from '../helpers/scenario-fixture.ts'
import type { Scenario } from '../../runtime/scenarios/scenario.ts'

let f: ScenarioFixture
let s: Scenario
let other: Scenario

beforeAll(async () => {
  f = await createScenarioFixture(1000, 'sql')
  s = await f.approve({ tables: { elderly_info: { fields: { district_code: '区县', living_arrangement: '居住状况', resident_id: '关联', name: '姓名' } } } })
  other = await f.approve({ tables: { household_registration: { key: 'resident_id', fields: { phone: '电话', sex: '性别' } } } })
})
afterAll(() => f.close())

const attacks: [string, string][] = [
  ['a base table outside the scenario', 'SELECT * FROM household_registration'],
  ['a quoted base table', 'SELECT * FROM "household_registration"'],
  ['a schema-qualified table', 'SELECT * FROM main.household_registration'],
  ['the store attached under another name', 'SELECT * FROM src.household_registration'],
  ['information_schema', 'SELECT * FROM information_schema.columns'],
  ['duckdb_tables()', 'SELECT * FROM duckdb_tables()'],
  ['duckdb_views()', 'SELECT * FROM duckdb_views()'],
  ['a table function reading files', "SELECT * FROM read_csv('/etc/passwd')"],
  ['read_text', "SELECT * FROM read_text('/etc/hostname')"],
  ['a subquery on a base table', 'SELECT district_code FROM elderly_info WHERE resident_id IN (SELECT resident_id FROM household_registration)'],
  ['a scalar subquery on a base table', 'SELECT (SELECT max(phone) FROM household_registration) AS x FROM elderly_info'],
  ['a CTE shadowing a view name', 'WITH elderly_info AS (SELECT * FROM household_registration) SELECT * FROM elderly_info'],
  ['a join to the view metadata', 'SELECT * FROM elderly_info JOIN indomain_view_meta ON true'],
  ['a second statement after a comment', 'SELECT 1 FROM elderly_info; -- harmless\nSELECT * FROM household_registration'],
  ['a second statement', 'SELECT 1; DROP TABLE elderly_info'],
  ['DDL', 'CREATE TABLE x AS SELECT * FROM elderly_info'],
  ['an update', "UPDATE elderly_info SET name = 'x'"],
  ['a pragma', 'PRAGMA table_info(household_registration)'],
  ['attach', "ATTACH '/tmp/x.duckdb' AS x"],
  ['settings', "SELECT current_setting('allowed_paths') FROM elderly_info"],
  ['a set operation onto a base table', 'SELECT name FROM elderly_info UNION ALL SELECT phone FROM household_registration'],
  ['another scenario\'s views by file', `SELECT * FROM "${'views'}".household_registration`],
  ['a lateral table function', 'SELECT * FROM elderly_info, range(10)'],
]

describe('attack: product SQL reaching unmasked values', () => {
  for (const [name, sql] of attacks) {
    it(`refuses ${name}`, async () => {
      await expect(f.gate.query(s.id, sql)).rejects.toMatchObject({ code: 'ERR_SQL_REJECTED' })
    })
  }

  it('runs an honest aggregate, and CAST or string functions on a masked field yield only the masked value', async () => {
    const counts = await f.gate.query(s.id, "SELECT district_code, count(*) AS n FROM elderly_info WHERE living_arrangement = '独居' GROUP BY 1 ORDER BY 1")
    expect(counts.length).toBeGreaterThan(0)
    const names = await f.gate.query(s.id, 'SELECT CAST(name AS VARCHAR) AS n, upper(resident_id) AS r, length(name) AS l FROM elderly_info')
    const n = names.columns.n as unknown as { codes: Int32Array; dictionary: string[] }
    const r = names.columns.r as unknown as { codes: Int32Array; dictionary: string[] }
    expect(n.dictionary.every((v) => v.includes('*'))).toBe(true)
    expect(r.dictionary.every((v) => /^P_[A-Z]{20}$/.test(v))).toBe(true)
  })

  it('cannot reach the raw lookup keys of a one-entity scenario: not by SELECT *, not by their table', async () => {
    const all = await f.gate.query(other.id, 'SELECT * FROM household_registration')
    expect(Object.keys(all.columns).sort()).toEqual(['phone', 'sex'])
    await expect(f.gate.query(other.id, 'SELECT * FROM indomain_keys__household_registration')).rejects.toMatchObject({ code: 'ERR_SQL_REJECTED' })
    await expect(f.gate.query(other.id, 'SELECT indomain_key FROM household_registration')).rejects.toMatchObject({ code: 'ERR_SQL_REJECTED' })
  })

  it('cannot read another scenario\'s data even by naming its tables', async () => {
    await expect(f.gate.query(s.id, 'SELECT phone FROM household_registration')).rejects.toMatchObject({ code: 'ERR_SQL_REJECTED' })
    await expect(f.gate.query(other.id, 'SELECT phone FROM household_registration')).resolves.toMatchObject({ length: 1000 })
  })
})
