/**
 * The synthetic world must carry real signal: products built on it (credit scores, occupancy,
 * group-rental and elderly-alone detection, shell scans) have something true to find.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../../runtime/store/index.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { aggregateRow, queryRows } from '../../helpers/query-rows.ts'

let sample: SampleStore
let store: Store

const rows = (sql: string) => queryRows(store.connection, sql)
const one = <K extends string>(sql: string) => aggregateRow<K>(store.connection, sql)

beforeAll(async () => {
  sample = await createSampleStore(20_000, 'signals')
  store = await openStore(sample.path, { access: 'read-only' })
})
afterAll(() => {
  store.close()
  sample.dispose()
})

describe('enterprise credit signal', () => {
  it('arrears (tax or social insurance) are far rarer among grade-A taxpayers than among C/D', async () => {
    const r = await one<'a' | 'cd' | 'n_a' | 'n_cd'>(`
      WITH graded AS (SELECT taxpayer_uscc AS uscc, grade FROM tax_credit_rating WHERE year = 2024),
      troubled AS (
        SELECT taxpayer_uscc AS uscc FROM tax_arrears
        UNION SELECT employer_uscc FROM social_insurance_payment WHERE payment_status IN ('欠缴', '补缴')
      )
      SELECT
        avg(CASE WHEN t.uscc IS NOT NULL THEN 1 ELSE 0 END) FILTER (WHERE grade = 'A') AS a,
        avg(CASE WHEN t.uscc IS NOT NULL THEN 1 ELSE 0 END) FILTER (WHERE grade IN ('C', 'D')) AS cd,
        count(*) FILTER (WHERE grade = 'A') AS n_a,
        count(*) FILTER (WHERE grade IN ('C', 'D')) AS n_cd
      FROM graded g LEFT JOIN troubled t USING (uscc)`)
    expect(r.n_a).toBeGreaterThan(20)
    expect(r.n_cd).toBeGreaterThan(20)
    expect(r.a).toBeLessThan(0.5 * r.cd)
  })

  it('dishonest-debtor listings concentrate in weak enterprises (by latent health)', async () => {
    const r = await one<'listed' | 'unlisted'>(`
      SELECT avg(h.health) FILTER (WHERE d.debtor_uscc IS NOT NULL) AS listed,
             avg(h.health) FILTER (WHERE d.debtor_uscc IS NULL) AS unlisted
      FROM ground_truth.enterprise_health h
      LEFT JOIN (SELECT DISTINCT debtor_uscc FROM dishonest_debtor) d ON d.debtor_uscc = h.uscc`)
    expect(r.listed).toBeLessThan(r.unlisted - 0.15)
  })

  it('social-insurance records have realistic gaps: some insured persons miss months between payments', async () => {
    const r = await one<'gap_share'>(`
      WITH spans AS (
        SELECT resident_id, count(*) AS paid,
               (CAST(max(period) AS INTEGER) // 100 * 12 + CAST(max(period) AS INTEGER) % 100)
             - (CAST(min(period) AS INTEGER) // 100 * 12 + CAST(min(period) AS INTEGER) % 100) + 1 AS span
        FROM social_insurance_payment GROUP BY resident_id)
      SELECT avg(CASE WHEN span > paid THEN 1 ELSE 0 END) AS gap_share FROM spans`)
    expect(r.gap_share).toBeGreaterThan(0.03)
    expect(r.gap_share).toBeLessThan(0.25)
  })
})

describe('occupancy signal', () => {
  it('vacant homes read near zero, group rentals read high', async () => {
    const list = await rows(`
      SELECT t.occupancy, avg(w.usage)::DOUBLE AS water, avg(p.usage)::DOUBLE AS power, count(DISTINCT t.address_code) AS homes
      FROM ground_truth.dwelling_occupancy t
      JOIN water_usage w USING (address_code)
      JOIN power_usage p ON p.address_code = t.address_code AND p.period = w.period
      GROUP BY t.occupancy`)
    const by = new Map(list.map((r) => [String(r.occupancy), r]))
    const water = (k: string) => Number(by.get(k)!.water)
    const power = (k: string) => Number(by.get(k)!.power)
    expect(Number(by.get('group_rental')!.homes)).toBeGreaterThan(30)
    expect(water('vacant')).toBeLessThan(0.1 * water('owner_occupied'))
    expect(power('vacant')).toBeLessThan(0.15 * power('owner_occupied'))
    expect(water('group_rental')).toBeGreaterThan(2 * water('owner_occupied'))
    expect(power('group_rental')).toBeGreaterThan(2 * power('owner_occupied'))
  })

  it('group rentals show up as several rental filings or many registered occupants at one address', async () => {
    const r = await one<'group_filings' | 'rented_filings'>(`
      WITH filings AS (SELECT address_code, count(*) AS n, sum(occupants) AS people FROM rental_registration GROUP BY address_code)
      SELECT avg(f.n) FILTER (WHERE t.occupancy = 'group_rental') AS group_filings,
             avg(f.n) FILTER (WHERE t.occupancy = 'rented') AS rented_filings
      FROM filings f JOIN ground_truth.dwelling_occupancy t USING (address_code)`)
    expect(r.group_filings).toBeGreaterThan(2 * r.rented_filings)
  })
})

describe('elderly living alone', () => {
  it('use little and steadily, and an incident is a sudden lasting drop — but not the only drop: some are away for months', async () => {
    const r = await one<'steady_mean' | 'before' | 'after' | 'incidents'>(`
      WITH alone AS (
        SELECT e.resident_id, e.address_code FROM elderly_info e WHERE e.living_arrangement = '独居'),
      monthly AS (
        SELECT a.resident_id, w.period, w.usage::DOUBLE AS usage, i.incident_period
        FROM alone a JOIN water_usage w USING (address_code)
        LEFT JOIN ground_truth.elderly_incident i ON i.resident_id = a.resident_id)
      SELECT
        median(usage) FILTER (WHERE incident_period IS NULL) AS steady_mean,
        median(usage) FILTER (WHERE incident_period IS NOT NULL AND period < incident_period) AS before,
        median(usage) FILTER (WHERE incident_period IS NOT NULL AND period > incident_period) AS after,
        count(DISTINCT resident_id) FILTER (WHERE incident_period IS NOT NULL) AS incidents
      FROM monthly`)
    const households = await one<'mean'>(`
      SELECT median(w.usage)::DOUBLE AS mean FROM water_usage w JOIN ground_truth.dwelling_occupancy t USING (address_code)
      WHERE t.occupancy = 'owner_occupied'`)
    expect(r.incidents).toBeGreaterThan(5)
    expect(r.steady_mean).toBeLessThan(0.6 * households.mean)
    // steady: month-to-month variation of most homes is smaller than that of ordinary households
    const cv = await one<'alone' | 'households'>(`
      WITH per_home AS (
        SELECT w.address_code, stddev(w.usage::DOUBLE) / avg(w.usage::DOUBLE) AS cv
        FROM water_usage w GROUP BY w.address_code HAVING avg(w.usage::DOUBLE) > 0)
      SELECT median(cv) FILTER (WHERE a.address_code IS NOT NULL) AS alone,
             median(cv) FILTER (WHERE t.occupancy = 'owner_occupied' AND a.address_code IS NULL) AS households
      FROM per_home h
      JOIN ground_truth.dwelling_occupancy t USING (address_code)
      LEFT JOIN (SELECT address_code FROM elderly_info e
                 WHERE living_arrangement = '独居'
                   AND resident_id NOT IN (SELECT resident_id FROM ground_truth.elderly_incident)) a USING (address_code)`)
    expect(cv.alone).toBeLessThan(0.85 * cv.households)
    expect(r.after).toBeLessThan(0.4 * r.before)
    // and yet without any incident, some homes go as quiet as after one for a month or more, and come back
    const away = await one<'away'>(`
      WITH alone AS (
        SELECT e.address_code FROM elderly_info e WHERE e.living_arrangement = '独居'
          AND e.resident_id NOT IN (SELECT resident_id FROM ground_truth.elderly_incident)),
      series AS (
        SELECT w.address_code, w.period, w.usage::DOUBLE AS usage, median(w.usage::DOUBLE) OVER (PARTITION BY w.address_code) AS typical
        FROM water_usage w JOIN alone USING (address_code))
      SELECT count(DISTINCT address_code) AS away FROM series s
      WHERE s.usage < 0.3 * s.typical AND s.period < '202511'
        AND EXISTS (SELECT 1 FROM series later WHERE later.address_code = s.address_code AND later.period > s.period AND later.usage > 0.8 * later.typical)`)
    expect(away.away).toBeGreaterThan(5)
  })
})

describe('shell enterprises', () => {
  it('are registered and alive on paper, with few insured staff and little power — and small real businesses look much the same', async () => {
    const r = await one<'shells' | 'alive' | 'with_insured' | 'median_kwh' | 'graded'>(`
      WITH shells AS (SELECT uscc FROM ground_truth.enterprise_health WHERE is_shell = 1),
      insured AS (SELECT DISTINCT employer_uscc AS uscc FROM social_insurance_payment),
      power AS (SELECT holder_uscc AS uscc, sum(usage)::DOUBLE AS kwh FROM power_usage WHERE holder_uscc IS NOT NULL GROUP BY 1),
      graded AS (SELECT DISTINCT taxpayer_uscc AS uscc FROM tax_credit_rating WHERE grade <> 'M')
      SELECT count(*) AS shells,
             count(*) FILTER (WHERE b.status IN ('存续', '在业')) AS alive,
             count(i.uscc) AS with_insured,
             median(coalesce(p.kwh, 0)) AS median_kwh,
             count(g.uscc) AS graded
      FROM shells s JOIN enterprise_basic b ON b.uscc = s.uscc
      LEFT JOIN insured i ON i.uscc = s.uscc
      LEFT JOIN power p ON p.uscc = s.uscc
      LEFT JOIN graded g ON g.uscc = s.uscc`)
    const normal = await one<'median_kwh'>(`
      SELECT median(p.kwh) AS median_kwh FROM (
        SELECT holder_uscc, sum(usage)::DOUBLE AS kwh FROM power_usage WHERE holder_uscc IS NOT NULL GROUP BY 1) p
      JOIN ground_truth.enterprise_health h ON h.uscc = p.holder_uscc WHERE h.is_shell = 0`)
    expect(r.shells).toBeGreaterThan(10)
    expect(r.alive).toBe(r.shells)
    // a few shells buy one person's social insurance (挂靠), a few are rated on their zero returns
    expect(r.with_insured).toBeGreaterThan(0)
    expect(r.with_insured).toBeLessThan(0.5 * r.shells)
    expect(r.graded).toBeLessThan(0.4 * r.shells)
    expect(r.median_kwh).toBeLessThan(0.05 * normal.median_kwh)
    // overlap: trading companies with no power account of their own (at an agent's address), or
    // using less than a quarter of the shells do
    const overlap = await one<'below'>(`
      WITH power AS (SELECT holder_uscc AS uscc, sum(usage)::DOUBLE AS kwh FROM power_usage WHERE holder_uscc IS NOT NULL GROUP BY 1),
      companies AS (SELECT b.uscc, h.is_shell, coalesce(p.kwh, 0) AS kwh FROM enterprise_basic b
                    JOIN ground_truth.enterprise_health h USING (uscc) LEFT JOIN power p USING (uscc)
                    WHERE b.status IN ('存续', '在业') AND b.enterprise_type IN ('有限责任公司', '股份有限公司')),
      bar AS (SELECT quantile_cont(kwh, 0.75) AS kwh FROM companies WHERE is_shell = 1)
      SELECT count(*) AS below FROM companies, bar WHERE is_shell = 0 AND companies.kwh <= bar.kwh`)
    expect(overlap.below).toBeGreaterThan(0)
  })
})
