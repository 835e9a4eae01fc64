/**
 * 大冶's second batch of catalogue tables (market regulation, marriages, disability, public
 * rental housing, sale contracts, medical insurance), generated the real way into a memory sink:
 * consistent with the world the other tables show, at the prevalences docs/synthetic-data.md
 * states, and as messy as a city's records — each check beside a control that shows it can fail.
 */
import { describe, expect, it } from 'vitest'
import { generateSyntheticData } from '../../../catalog/synthetic/generate.ts'
import { habitsOf, mistypeDigit } from '../../../catalog/synthetic/delivery.ts'
import { createRandom } from '../../../catalog/synthetic/random.ts'
import { loadCatalog } from '../../../catalog/load-catalog.ts'
import { isValidIdentifier } from '../../../catalog/identifiers/index.ts'
import { parseResidentId } from '../../../catalog/identifiers/resident-id.ts'
import type { CellValue } from '../../../catalog/synthetic/table-sink.ts'
import { createMemorySink } from '../../helpers/memory-sink.ts'

const NEW_TABLES = [
  'enterprise_annual_report', 'business_abnormal_list', 'serious_violation_list', 'administrative_penalty',
  'enterprise_deregistration', 'enterprise_revocation', 'marriage_registration', 'disabled_person',
  'housing_security_allocation', 'sale_contract_filing', 'medical_insurance_enrollment',
]
const PERSONS = 20_000

type Row = Record<string, CellValue>

const sink = createMemorySink([
  ...NEW_TABLES, 'enterprise_basic', 'household_registration', 'real_estate', 'property_right_holder',
  'ground_truth.enterprise_loan_outcome', 'ground_truth.enterprise_health', 'ground_truth.rental_listing',
  'ground_truth.service_need_area', 'ground_truth.enterprise_finance',
])
generateSyntheticData({ seed: 'daye', scale: PERSONS }, sink)
const rows = (table: string): Row[] => sink.rows.get(table)!
const by = (table: string, key: string): Map<unknown, Row> => new Map(rows(table).map((r) => [r[key], r]))
const enterprises = by('enterprise_basic', 'uscc')
const persons = by('household_registration', 'resident_id')
/** A record number filed a second time by delivery (…号之一, …-1). */
const isSupplementary = (value: unknown): boolean => /(之一|-1)$/.test(String(value))

describe('enterprises that are gone', () => {
  it('a deregistration for every enterprise registered as 注销, and for no other', () => {
    const cancelled = [...enterprises.values()].filter((e) => e.status === '注销').map((e) => e.uscc)
    const deregistered = rows('enterprise_deregistration').map((r) => r.uscc)
    expect(cancelled.length).toBeGreaterThan(10)
    expect(new Set(deregistered)).toEqual(new Set(cancelled))
    // control: a live enterprise is not among them
    const live = [...enterprises.values()].find((e) => e.status === '存续')!.uscc
    expect(deregistered).not.toContain(live)
  })

  it('a revocation for every enterprise registered as 吊销; one deregistered later has both, the revocation first', () => {
    const revocations = rows('enterprise_revocation').filter((r) => !isSupplementary(r.decision_no))
    const statuses = new Set(revocations.map((r) => enterprises.get(r.uscc)?.status))
    const revoked = [...enterprises.values()].filter((e) => e.status === '吊销').map((e) => e.uscc)
    expect(revoked.length).toBeGreaterThan(5)
    expect(revoked.filter((u) => !revocations.some((r) => r.uscc === u))).toEqual([])
    expect([...statuses].sort()).toEqual(['吊销', '注销'])
    const deregistered = by('enterprise_deregistration', 'uscc')
    const both = revocations.filter((r) => deregistered.has(r.uscc))
    expect(both.length).toBeGreaterThan(0)
    for (const r of both) {
      expect(String(r.revoked_on) < String(deregistered.get(r.uscc)!.approved_on)).toBe(true)
      expect(deregistered.get(r.uscc)!.reason).toBe('被吊销营业执照')
    }
  })
})

describe('annual reports', () => {
  const reports = rows('enterprise_annual_report')

  it('are filed only for years the enterprise existed, and never after it was gone', () => {
    const gone = new Map([
      ...rows('enterprise_deregistration').map((r) => [r.uscc, String(r.approved_on)] as const),
      ...rows('enterprise_revocation').map((r) => [r.uscc, String(r.revoked_on)] as const),
    ])
    let checked = 0
    for (const r of reports) {
      const e = enterprises.get(r.uscc)!
      expect(String(e.established_on) <= `${r.report_year}-12-31`, String(r.uscc)).toBe(true)
      const end = gone.get(r.uscc)
      if (end !== undefined) {
        checked++
        expect(String(r.filed_on) < end).toBe(true)
      }
    }
    expect(checked).toBeGreaterThan(20)
  })

  it('say on time exactly when filed by 30 June of the next year; some are late, most are not', () => {
    const late = reports.filter((r) => r.on_time === false)
    for (const r of reports) expect(r.on_time).toBe(String(r.filed_on) <= `${Number(r.report_year) + 1}-06-30`)
    expect(late.length / reports.length).toBeGreaterThan(0.03)
    expect(late.length / reports.length).toBeLessThan(0.25)
  })

  it('are filed by about nine companies in ten that had to, fewer individual businesses (市场监管总局: about 90%)', () => {
    const due = [...enterprises.values()].filter((e) => (e.status === '存续' || e.status === '在业') && String(e.established_on) <= '2023-12-31')
    const filed = new Set(reports.filter((r) => r.report_year === 2024).map((r) => r.uscc))
    const rate = (type: (t: unknown) => boolean) => {
      const group = due.filter((e) => type(e.enterprise_type))
      return group.filter((e) => filed.has(e.uscc)).length / group.length
    }
    expect(rate((t) => t === '有限责任公司')).toBeGreaterThan(0.85)
    expect(rate((t) => t === '有限责任公司')).toBeLessThan(0.99)
    expect(rate((t) => t === '个体工商户')).toBeLessThan(rate((t) => t === '有限责任公司'))
  })

  it('carry the errors of self-declaration: a revenue keyed in 元 instead of 万元, figures copied from last year, staff below the insured count', () => {
    const truth = by('ground_truth.enterprise_finance', 'uscc')
    const declared = reports.filter((r) => r.report_year === 2024 && r.revenue !== null && Number(truth.get(r.uscc)?.revenue_2024 ?? 0) > 1)
    const inYuan = declared.filter((r) => Number(r.revenue) > 1000 * Number(truth.get(r.uscc)!.revenue_2024))
    const close = declared.filter((r) => Math.abs(Number(r.revenue) / Number(truth.get(r.uscc)!.revenue_2024) - 1) < 0.01)
    expect(inYuan.length).toBeGreaterThan(0)
    expect(inYuan.length / declared.length).toBeLessThan(0.02)
    // control: most declare what they turned over
    expect(close.length / declared.length).toBeGreaterThan(0.8)
    const figures = (r: Row) => JSON.stringify([r.total_assets, r.revenue, r.profit, r.tax_paid])
    const previous = new Map(reports.map((r) => [`${r.uscc}/${r.report_year}`, r]))
    const copied = reports.filter((r) => r.revenue !== null && Number(r.revenue) > 0 && figures(r) === figures(previous.get(`${r.uscc}/${Number(r.report_year) - 1}`) ?? {}))
    expect(copied.length).toBeGreaterThan(0)
    const below = reports.filter((r) => r.employees !== null && r.insured !== null && Number(r.employees) < Number(r.insured))
    expect(below.length).toBeGreaterThan(0)
    expect(below.length / reports.length).toBeLessThan(0.06)
  })
})

describe('the abnormal list and the list of serious violations', () => {
  const listings = rows('business_abnormal_list')

  it('lists enterprises that missed a report and removes them when they file late; a listing stays open while they do not', () => {
    const lateFilings = new Map<unknown, string[]>()
    for (const r of rows('enterprise_annual_report')) if (r.on_time === false) lateFilings.set(r.uscc, [...(lateFilings.get(r.uscc) ?? []), String(r.filed_on)])
    const noReport = listings.filter((l) => l.listed_reason === '未按照规定的期限公示年度报告')
    // (but for the few whose USCC a clerk mistyped)
    const removed = noReport.filter((l) => l.status === '已移出' && isValidIdentifier('uscc', String(l.uscc)))
    expect(removed.length).toBeGreaterThan(20)
    expect(noReport.filter((l) => l.status === '列入').length).toBeGreaterThan(10)
    for (const l of removed) {
      // an optional value the department left empty, or the reason
      expect([null, '补报未报年份的年度报告并公示']).toContain(l.removed_reason)
      // the late report came shortly before the removal
      const filed = lateFilings.get(l.uscc) ?? []
      expect(filed.some((f) => f <= String(l.removed_on) && f >= String(l.listed_on)), String(l.record_no)).toBe(true)
    }
    // control: an on-time filer has no late filing to explain a removal
    const punctual = rows('enterprise_annual_report').find((r) => r.on_time === true && !lateFilings.has(r.uscc))!
    expect(lateFilings.get(punctual.uscc)).toBeUndefined()
  })

  it('lists shells as unreachable far more often than real firms — and some small real businesses too', () => {
    const shells = new Set(rows('ground_truth.enterprise_health').filter((h) => h.is_shell === 1).map((h) => h.uscc))
    const unreachable = new Set(listings.filter((l) => l.listed_reason === '通过登记的住所或者经营场所无法联系').map((l) => l.uscc))
    const shellRate = [...shells].filter((u) => unreachable.has(u)).length / shells.size
    const otherRate = [...unreachable].filter((u) => !shells.has(u)).length / (enterprises.size - shells.size)
    expect(shellRate).toBeGreaterThan(5 * otherRate)
    expect([...unreachable].some((u) => !shells.has(u))).toBe(true)
  })

  it('puts on the list of serious violations enterprises listed three years ago and never removed', () => {
    const serious = rows('serious_violation_list').filter((s) => s.reason === '被列入经营异常名录届满3年仍未履行相关义务')
    expect(serious.length).toBeGreaterThan(5)
    for (const s of serious) {
      const open = listings.filter((l) => l.uscc === s.uscc && (l.removed_on === null || String(l.removed_on) > String(s.listed_on)))
      const threeYearsBefore = `${Number(String(s.listed_on).slice(0, 4)) - 3}${String(s.listed_on).slice(4)}`
      expect(open.some((l) => String(l.listed_on) <= threeYearsBefore), String(s.record_no)).toBe(true)
    }
  })
})

describe('marriages', () => {
  const marriages = rows('marriage_registration')

  it('join a man and a woman of legal age (22 and 20) on the day they registered', () => {
    const weddings = marriages.filter((m) => m.business_type === '结婚登记')
    expect(weddings.length).toBeGreaterThan(PERSONS / 10)
    for (const m of weddings) {
      const man = parseResidentId(String(m.male_resident_id))
      const woman = parseResidentId(String(m.female_resident_id))
      // a mistyped ID (delivery) fails its check digit; every other is a man's and a woman's
      if (man !== null) expect(man.sex).toBe('male')
      if (woman !== null) expect(woman.sex).toBe('female')
      if (man !== null) expect(ageOn(man.birthDate, String(m.registered_on))).toBeGreaterThanOrEqual(22)
      if (woman !== null) expect(ageOn(woman.birthDate, String(m.registered_on))).toBeGreaterThanOrEqual(20)
    }
  })

  it('are missing for part of the married (registered elsewhere, or on paper before 1990), and record some the 户籍 says are single', () => {
    const registered = new Set(marriages.filter((m) => m.business_type === '结婚登记').flatMap((m) => [m.male_resident_id, m.female_resident_id]))
    const married = [...persons.values()].filter((p) => p.marital_status === '已婚')
    const share = married.filter((p) => registered.has(p.resident_id)).length / married.length
    expect(share).toBeGreaterThan(0.55)
    expect(share).toBeLessThan(0.85)
    const single = [...persons.values()].filter((p) => p.marital_status === '未婚' && registered.has(p.resident_id))
    expect(single.length).toBeGreaterThan(0)
    expect(single.length / married.length).toBeLessThan(0.03)
  })

  it('include spouses from elsewhere: valid IDs of places near the city, not in its 户籍', () => {
    const outsiders = marriages.flatMap((m) => [m.male_resident_id, m.female_resident_id]).filter((id) => !persons.has(id))
    const valid = outsiders.filter((id) => isValidIdentifier('resident_id', String(id)))
    expect(valid.length).toBeGreaterThan(100)
    // the rest are IDs a clerk mistyped (delivery), of residents or of spouses from elsewhere: few
    expect(outsiders.length - valid.length).toBeLessThan(3 * habitsOf('市民政局').mistypedId * 2 * marriages.length + 3)
  })

  it('register divorces at about the national rate (民政部 2024: 262.2万 registered, 1.9‰ pairs a year)', () => {
    const divorces2024 = marriages.filter((m) => m.business_type === '离婚登记' && String(m.registered_on).startsWith('2024')).length
    expect((1000 * divorces2024) / PERSONS).toBeGreaterThan(0.8)
    expect((1000 * divorces2024) / PERSONS).toBeLessThan(3.5)
  })
})

describe('disabled persons', () => {
  const disabled = rows('disabled_person')

  it('are residents, at their household address, with a certificate number of their ID, type and grade', () => {
    const types = ['视力残疾', '听力残疾', '言语残疾', '肢体残疾', '智力残疾', '精神残疾', '多重残疾']
    const grades = ['一级', '二级', '三级', '四级']
    for (const d of disabled) {
      const person = persons.get(d.resident_id)!
      expect(person, String(d.resident_id)).toBeDefined()
      expect(d.address_code).toBe(person.address_code)
      expect(d.certificate_no).toBe(`${d.resident_id}${types.indexOf(String(d.disability_type)) + 1}${grades.indexOf(String(d.disability_grade)) + 1}`)
    }
    // control: a resident without a certificate is not here
    expect(disabled.some((d) => d.resident_id === [...persons.keys()][0])).toBe(false)
  })

  it('hold a certificate at about 2.7% of the population (中国残联), of every type, the severe more often', () => {
    expect(disabled.length / PERSONS).toBeGreaterThan(0.02)
    expect(disabled.length / PERSONS).toBeLessThan(0.034)
    expect(new Set(disabled.map((d) => d.disability_type)).size).toBe(7)
    const severe = disabled.filter((d) => d.disability_grade === '一级' || d.disability_grade === '二级').length / disabled.length
    expect(severe).toBeGreaterThan(0.3)
  })

  it('stand as valid at the old address when they moved away, mostly', () => {
    const moved = disabled.filter((d) => persons.get(d.resident_id)!.status === '迁出')
    expect(disabled.filter((d) => d.status === '迁出').every((d) => persons.get(d.resident_id)!.status === '迁出')).toBe(true)
    expect(moved.length).toBeGreaterThan(0)
  })
})

describe('sale contracts (网签)', () => {
  const contracts = rows('sale_contract_filing')
  const holders = new Map(rows('property_right_holder').filter((h) => h.holder_seq === 1).map((h) => [h.unit_no, h]))

  it('name the registered holder as buyer of a home bought more than a year ago; a recent sale still shows the seller as holder', () => {
    const old = contracts.filter((c) => c.status === '已备案' && String(c.signed_on) < '2024-06-30')
    const buyerHolds = old.filter((c) => holders.get(c.unit_no)?.holder_resident_id === c.buyer_resident_id).length / old.length
    expect(buyerHolds).toBeGreaterThan(0.9)
    // a recent sale is either transferred (the buyer holds) or pending (the seller still holds)
    const holder = (c: Row) => holders.get(c.unit_no)?.holder_resident_id
    // (where the departments filled in both IDs)
    const recent = contracts.filter((c) => c.status !== '已撤销' && String(c.signed_on) > '2025-09-01' && c.seller_resident_id !== null && holder(c) != null)
    const pending = recent.filter((c) => holder(c) === c.seller_resident_id)
    expect(pending.length).toBeGreaterThan(5)
    expect(recent.filter((c) => holder(c) === c.buyer_resident_id || holder(c) === c.seller_resident_id).length / recent.length).toBeGreaterThan(0.95)
  })

  it('are for homes the register holds, at the address it gives them; the sale of a sealed home is cancelled for the seizure', () => {
    const estates = by('real_estate', 'unit_no')
    for (const c of contracts) expect(estates.get(c.unit_no)?.address_code, String(c.contract_no)).toBe(c.address_code)
    expect(estates.get('not-a-unit')).toBeUndefined()
    const seized = contracts.filter((c) => c.cancel_reason === '房屋被司法查封')
    expect(seized.length).toBeGreaterThan(0)
    for (const c of seized) expect(estates.get(c.unit_no)!.status).toBe('查封')
    // and no sale of a sealed home by its holder goes on
    const selling = contracts.filter((c) => c.status !== '已撤销' && c.seller_resident_id !== null && holders.get(c.unit_no)?.holder_resident_id === c.seller_resident_id)
    expect(selling.length).toBeGreaterThan(5)
    expect(selling.filter((c) => estates.get(c.unit_no)!.status === '查封')).toEqual([])
  })

  it('include contracts cancelled before the real sale, with another buyer', () => {
    const cancelled = contracts.filter((c) => c.status === '已撤销')
    expect(cancelled.length / contracts.length).toBeGreaterThan(0.01)
    expect(cancelled.length / contracts.length).toBeLessThan(0.1)
    for (const c of cancelled) expect(String(c.cancelled_on) >= String(c.signed_on)).toBe(true)
  })
})

describe('public rental housing', () => {
  it('lets units the register shows as 保障性住房; a rent subsidy pays for a private home', () => {
    const estates = by('real_estate', 'unit_no')
    const allocations = rows('housing_security_allocation')
    const inKind = allocations.filter((a) => a.allocation_type === '实物配租' && a.unit_no !== null)
    expect(inKind.length).toBeGreaterThan(20)
    expect(inKind.every((a) => estates.get(a.unit_no)!.right_nature === '保障性住房')).toBe(true)
    const subsidies = allocations.filter((a) => a.allocation_type === '租赁补贴' && a.unit_no !== null)
    expect(subsidies.length).toBeGreaterThan(0)
    expect(subsidies.some((a) => estates.get(a.unit_no)!.right_nature !== '保障性住房')).toBe(true)
    expect(allocations.some((a) => a.status === '轮候中' && a.unit_no === null)).toBe(true)
  })
})

describe('medical insurance', () => {
  const enrolments = rows('medical_insurance_enrollment')

  it('covers about 95% of residents (国家医保局: 95% and more), some in both schemes', () => {
    const paying = new Set(enrolments.filter((e) => e.status === '参保缴费').map((e) => e.resident_id))
    expect(paying.size / PERSONS).toBeGreaterThan(0.93)
    expect(paying.size / PERSONS).toBeLessThan(0.985)
    const twice = new Map<unknown, number>()
    for (const e of enrolments) if (e.status === '参保缴费') twice.set(e.resident_id, (twice.get(e.resident_id) ?? 0) + 1)
    const both = [...twice.values()].filter((n) => n > 1).length
    expect(both).toBeGreaterThan(0)
    expect(both / PERSONS).toBeLessThan(0.01)
  })

  it('marks severe disability for assistance only for holders of a grade 一 or 二 certificate', () => {
    const disabled = by('disabled_person', 'resident_id')
    const assisted = enrolments.filter((e) => e.assistance_category === '重度残疾人')
    expect(assisted.length).toBeGreaterThan(10)
    for (const e of assisted) expect(['一级', '二级']).toContain(disabled.get(e.resident_id)?.disability_grade)
  })
})

describe('ground truth', () => {
  it('has a loan outcome for every live enterprise; overdue concentrates in weak ones, with label noise', () => {
    const outcomes = rows('ground_truth.enterprise_loan_outcome')
    const live = [...enterprises.values()].filter((e) => e.status === '存续' || e.status === '在业')
    expect(outcomes.length).toBe(live.length)
    const health = by('ground_truth.enterprise_health', 'uscc')
    const borrowers = outcomes.filter((o) => o.borrower === 1)
    const overdue = borrowers.filter((o) => o.overdue === 1)
    expect(overdue.length / borrowers.length).toBeGreaterThan(0.03)
    expect(overdue.length / borrowers.length).toBeLessThan(0.12)
    const mean = (list: Row[]) => list.reduce((s, o) => s + Number(health.get(o.uscc)!.health), 0) / list.length
    expect(mean(overdue)).toBeLessThan(mean(borrowers.filter((o) => o.overdue === 0)) - 0.1)
    // not a deterministic function of health: some sound firms fall overdue
    expect(overdue.some((o) => Number(health.get(o.uscc)!.health) > 0.7)).toBe(true)
  })

  it('has listings of every kind, most genuine; hotspots are a fifth of the townships', () => {
    const listings = rows('ground_truth.rental_listing')
    expect(listings.filter((l) => l.authentic === 1).length / listings.length).toBeGreaterThan(0.5)
    const problems = new Set(listings.map((l) => l.problem))
    for (const p of [null, 'fake_address', 'not_holder', 'sealed', 'public_housing', 'sold']) expect(problems).toContain(p)
    expect([...problems].filter((p) => ![null, 'fake_address', 'not_holder', 'sealed', 'public_housing', 'sold', 'area_misstated', 'unverified'].includes(p as string | null))).toEqual([])
    const areas = rows('ground_truth.service_need_area')
    expect(areas.filter((a) => a.hotspot === 1).length).toBe(Math.round(areas.length * 0.2))
  })
})

describe('messiness', () => {
  it('mistypes a few references in the new tables so that their check digit fails — and the check catches a mistyped one', () => {
    const catalog = loadCatalog()
    let checked = 0
    let invalid = 0
    for (const table of NEW_TABLES) {
      const definition = catalog.table(table)!
      for (const f of definition.fields) {
        if ((f.identifier !== 'resident_id' && f.identifier !== 'uscc') || definition.key.includes(f.name)) continue
        for (const r of rows(table)) {
          if (r[f.name] === null) continue
          checked++
          if (!isValidIdentifier(f.identifier, String(r[f.name]))) invalid++
        }
      }
    }
    expect(checked).toBeGreaterThan(20_000)
    expect(invalid).toBeGreaterThan(0)
    expect(invalid / checked).toBeLessThan(0.01)
    // control: one digit changed is always caught
    const id = String(rows('disabled_person')[0]!.resident_id)
    expect(isValidIdentifier('resident_id', id)).toBe(true)
    expect(isValidIdentifier('resident_id', mistypeDigit(id, createRandom('control', 'digit')))).toBe(false)
  })

  it('files some records twice under a supplementary number, and never a key that others point at', () => {
    const twice = ['administrative_penalty', 'housing_security_allocation', 'sale_contract_filing']
      .map((t) => rows(t).filter((r) => isSupplementary(Object.values(r)[0]!)).length)
    expect(twice.reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    expect(rows('disabled_person').filter((r) => isSupplementary(r.resident_id))).toEqual([])
  })
})

function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4))
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years
}
