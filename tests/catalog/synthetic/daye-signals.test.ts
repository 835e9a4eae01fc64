/**
 * What 大冶's second batch of tables gives the products to be built on them, in a store built the
 * real way (buildStore): an overdue-risk index, quick loan estimates, a check of rental listings,
 * hotspots of elderly and disability services. Each signal is there and none is perfect: the
 * classes overlap as a city's do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { aggregateRow, queryRows } from '../../helpers/query-rows.ts'

let sample: SampleStore
let instance: DuckDBInstance
let connection: DuckDBConnection

const rows = (sql: string) => queryRows(connection, sql)
const one = <K extends string>(sql: string) => aggregateRow<K>(connection, sql)

beforeAll(async () => {
  // the seed and scale of signals.test.ts: one store for both
  sample = await createSampleStore(20_000, 'signals')
  instance = await DuckDBInstance.create(sample.path, { access_mode: 'READ_ONLY' })
  connection = await instance.connect()
})
afterAll(() => {
  connection.closeSync()
  instance.closeSync()
  sample.dispose()
})

describe('enterprise overdue risk (企业逾期风险指数)', () => {
  // Overdue loans follow latent health (daye-tables.test.ts); here, what the records show of that health.
  // (A thousand enterprises have too few overdue loans for rates of overdue to be compared here.)
  const SIGNS = `
    WITH report AS (SELECT uscc, profit, on_time FROM enterprise_annual_report WHERE report_year = 2024),
    f AS (SELECT h.uscc, h.health,
            coalesce(r.profit < 0, false) AS loss,
            (r.uscc IS NULL AND e.established_on <= DATE '2023-12-31') OR NOT coalesce(r.on_time, true)
              OR h.uscc IN (SELECT uscc FROM business_abnormal_list WHERE status = '列入') AS careless,
            h.uscc IN (SELECT taxpayer_uscc FROM tax_arrears) AS arrears,
            h.uscc IN (SELECT uscc FROM administrative_penalty) AS fined
          FROM ground_truth.enterprise_health h JOIN ground_truth.enterprise_loan_outcome o USING (uscc)
          JOIN enterprise_basic e USING (uscc) LEFT JOIN report r USING (uscc)
          WHERE h.is_shell = 0)`

  it('shows weak health in a reported loss, a late or missing report, tax owed', async () => {
    for (const sign of ['loss', 'careless', 'arrears']) {
      const r = await one<'with' | 'without' | 'n'>(`${SIGNS}
        SELECT avg(health) FILTER (WHERE ${sign}) AS with, avg(health) FILTER (WHERE NOT ${sign}) AS without, count(*) FILTER (WHERE ${sign}) AS n FROM f`)
      expect(r.n, sign).toBeGreaterThan(20)
      expect(r.with, sign).toBeLessThan(r.without - 0.04)
    }
  })

  it('is no certainty: sound firms report losses and file late too', async () => {
    const r = await one<'sound_loss' | 'sound_careless'>(`${SIGNS}
      SELECT count(*) FILTER (WHERE health >= 0.7 AND loss) AS sound_loss, count(*) FILTER (WHERE health >= 0.7 AND careless) AS sound_careless FROM f`)
    expect(r.sound_loss).toBeGreaterThan(0)
    expect(r.sound_careless).toBeGreaterThan(0)
  })

  it('is hardly told by penalties: sound firms are fined, failing firms often never meet an inspector', async () => {
    const r = await one<'sound_fined' | 'failing_unfined' | 'sound_rate' | 'failing_rate'>(`${SIGNS}
      SELECT count(*) FILTER (WHERE health >= 0.7 AND fined) AS sound_fined, count(*) FILTER (WHERE health < 0.35 AND NOT fined) AS failing_unfined,
             avg(fined::INT) FILTER (WHERE health >= 0.7) AS sound_rate, avg(fined::INT) FILTER (WHERE health < 0.35) AS failing_rate FROM f`)
    expect(r.sound_fined).toBeGreaterThan(10)
    expect(r.failing_unfined).toBeGreaterThan(10)
    expect(r.sound_rate).toBeGreaterThan(0.5 * r.failing_rate)
  })
})

describe('quick loan estimates (贷款额度估算)', () => {
  it("annual reports tell an enterprise's turnover — as declared, mostly right, now and then off by a unit", async () => {
    const r = await one<'n' | 'corr' | 'unit_errors'>(`
      SELECT count(*) AS n,
             corr(ln(a.revenue), ln(t.revenue_2024)) FILTER (WHERE a.revenue < 1000 * t.revenue_2024) AS corr,
             count(*) FILTER (WHERE a.revenue > 1000 * t.revenue_2024) AS unit_errors
      FROM enterprise_annual_report a JOIN ground_truth.enterprise_finance t USING (uscc)
      WHERE a.report_year = 2024 AND a.revenue > 0 AND t.revenue_2024 > 0`)
    expect(r.n).toBeGreaterThan(300)
    expect(r.corr).toBeGreaterThan(0.8)
    expect(r.unit_errors).toBeGreaterThan(0)
  })

  it('the self-employed insure themselves for health at a base they choose: owners of small businesses, some above the lowest base', async () => {
    const r = await one<'flexible' | 'owners' | 'above'>(`
      SELECT count(*) AS flexible,
             count(*) FILTER (WHERE resident_id IN (SELECT legal_rep_id FROM enterprise_basic)) AS owners,
             count(*) FILTER (WHERE contribution_base > 4500) AS above
      FROM medical_insurance_enrollment WHERE person_category = '灵活就业人员'`)
    expect(r.flexible).toBeGreaterThan(50)
    expect(r.owners / r.flexible).toBeGreaterThan(0.45)
    expect(r.above).toBeGreaterThan(0)
  })

  it("marriages link a household's spouses, so that a couple's incomes and homes can be counted together", async () => {
    const r = await one<'couples' | 'linked'>(`
      WITH couples AS (
        SELECT h.resident_id AS head, s.resident_id AS spouse FROM household_registration h
        JOIN household_registration s ON s.household_no = h.household_no AND s.relation_to_head = '配偶'
        WHERE h.relation_to_head = '户主' AND h.marital_status = '已婚')
      SELECT count(*) AS couples, count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM marriage_registration m WHERE m.business_type = '结婚登记'
          AND ((m.male_resident_id = head AND m.female_resident_id = spouse) OR (m.male_resident_id = spouse AND m.female_resident_id = head)))) AS linked
      FROM couples`)
    expect(r.couples).toBeGreaterThan(1000)
    expect(r.linked / r.couples).toBeGreaterThan(0.5)
    expect(r.linked / r.couples).toBeLessThan(0.9)
  })
})

describe('genuine rental listings (真实房源核验)', () => {
  it('each kind of false listing shows in its own records; a genuine landlord is usually, not always, the registered holder', async () => {
    const list = await rows(`
      SELECT coalesce(problem, '-') AS problem, count(*) AS n,
        avg((l.address_code IS NOT NULL AND EXISTS (SELECT 1 FROM standard_address a WHERE a.address_code = l.address_code))::INT) AS address_known,
        avg((SELECT max((h.holder_resident_id = l.landlord_resident_id)::INT) FROM real_estate r JOIN property_right_holder h USING (unit_no) WHERE r.address_code = l.address_code)) AS holder,
        avg((SELECT max((r.status = '查封')::INT) FROM real_estate r WHERE r.address_code = l.address_code)) AS sealed,
        avg((SELECT count(*) > 0 FROM housing_security_allocation s WHERE s.address_code = l.address_code AND s.allocation_type = '实物配租')::INT) AS public_housing,
        avg((SELECT count(*) > 0 FROM sale_contract_filing c WHERE c.address_code = l.address_code AND c.status <> '已撤销' AND c.signed_on > DATE '2025-06-01')::INT) AS sold
      FROM ground_truth.rental_listing l WHERE authentic = 0 OR problem IS NULL GROUP BY 1`)
    const by = new Map(list.map((r) => [String(r.problem), r]))
    const rate = (problem: string, column: string) => Number(by.get(problem)![column])
    expect(Number(by.get('-')!.n)).toBeGreaterThan(100)
    expect(rate('fake_address', 'address_known')).toBe(0)
    // a genuine listing's address is a known one (but for the few false listings an inspection passed)
    expect(rate('-', 'address_known')).toBeGreaterThan(0.97)
    expect(rate('sealed', 'sealed')).toBe(1)
    // (the 住建局 leaves an optional address code empty now and then)
    expect(rate('public_housing', 'public_housing')).toBeGreaterThan(0.8)
    expect(rate('sold', 'sold')).toBe(1)
    expect(rate('not_holder', 'holder')).toBe(0)
    // agents and joint holders list genuine homes too: not being the holder is a sign, not a proof
    expect(rate('-', 'holder')).toBeGreaterThan(0.6)
    expect(rate('-', 'holder')).toBeLessThan(0.95)
    for (const column of ['sealed', 'public_housing', 'sold']) expect(rate('-', column), column).toBeLessThan(0.05)
  })
})

describe('hotspots of elderly and disability services (养老、残疾人服务需求热点)', () => {
  it('the records show part of the need of each township: frail old people and certified disabled people with a recorded need', async () => {
    const r = await one<'areas' | 'corr_count' | 'corr_rate' | 'visible' | 'truth'>(`
      WITH area AS (SELECT address_code, district_code, street FROM standard_address),
      old AS (SELECT a.district_code, a.street, count(*) AS n FROM elderly_info e JOIN area a USING (address_code) WHERE care_level <> '能力完好' GROUP BY ALL),
      dis AS (SELECT a.district_code, a.street, count(*) AS n FROM disabled_person d JOIN area a USING (address_code) WHERE service_need <> '无' GROUP BY ALL),
      j AS (SELECT t.*, coalesce(old.n, 0) + coalesce(dis.n, 0) AS visible FROM ground_truth.service_need_area t
            LEFT JOIN old USING (district_code, street) LEFT JOIN dis USING (district_code, street))
      SELECT count(*) AS areas, corr(in_need, visible) AS corr_count, corr(need_per_thousand, 1000.0 * visible / residents) AS corr_rate,
             sum(visible) AS visible, sum(in_need) AS truth FROM j`)
    expect(r.areas).toBeGreaterThan(20)
    expect(r.corr_count).toBeGreaterThan(0.8)
    expect(r.corr_rate).toBeGreaterThan(0.3)
    // not all of it: many disabled people hold no certificate
    expect(r.visible).toBeLessThan(r.truth)
  })

  it('medical insurance marks chronic conditions more often among the frail old', async () => {
    const r = await one<'frail' | 'fit'>(`
      SELECT avg(m.chronic_condition::INT) FILTER (WHERE e.care_level <> '能力完好') AS frail, avg(m.chronic_condition::INT) FILTER (WHERE e.care_level = '能力完好') AS fit
      FROM elderly_info e JOIN medical_insurance_enrollment m USING (resident_id)`)
    expect(r.frail).toBeGreaterThan(1.5 * r.fit)
  })
})
