/**
 * 医保人员参保信息: who is insured for health care, and how. Employees are in the employees' scheme
 * (职工医保) through their employer, at the contribution base of their pension insurance; those who
 * left formal work stand suspended or ended there, most of them also enrolled as residents; those
 * who retired from formal work keep it without paying. Owners of individual businesses and micro
 * firms mostly insure themselves as flexibly employed (灵活就业), choosing a base — most the
 * lowest, the better off more. Everyone else is in the residents' scheme (城乡居民医保), the
 * premium paid by the state for those in extreme poverty or with a severe disability and in part
 * for the 低保. Coverage is about 95%, as 国家医保局 reports: young adults without a job and people
 * who moved away drop out. Some are in both schemes (重复参保), some severe disabilities are not
 * yet marked for assistance. The 门诊慢特病 entitlement follows frailty in old age.
 */
import { AS_OF_DAY, CONTRIBUTION_PERIODS, dayNumber, periodStartDay } from './calendar.ts'
import { createDateCache } from './calendar-fast.ts'
import { createRandom, clamp } from './random.ts'
import { DISTRICTS } from './vocabulary.ts'
import { contributionBase } from './write-contributions.ts'
import { isActiveStatus } from './economy.ts'
import { EXTREME_POVERTY, MINIMUM_LIVING, isEmployedNow, isRetirementAge, type HouseholdIncome } from './household-income.ts'
import { MENTAL, type Disability } from './disability.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

const EMPLOYEES = '职工基本医疗保险'
const RESIDENTS = '城乡居民基本医疗保险'
/** MEDICAL_INSURANCE_CATEGORIES */
const WORKING = '在职职工'
const RETIRED = '退休人员'
const FLEXIBLE = '灵活就业人员'
/** 2025: the lowest base (60% of the provincial average wage) and the residents' premium (个人缴费标准, 400元). */
const BASE_MIN = 4500
const RESIDENT_PREMIUM = 400
/** Employees pay 2% of their base, the flexibly employed about 8% (the unit's share too). */
const EMPLOYEE_RATE = 0.02
const FLEXIBLE_RATE = 0.08
const YEAR_START = dayNumber('2025-01-01')
const YEAR_END = dayNumber('2025-12-31')
/** Residents' scheme (新农合 and 城镇居民 before it) for everyone since about 2008. */
const RESIDENTS_SINCE = dayNumber('2008-01-01')
/** Residents enrolled outside the collection period wait three months for benefits (from 2025). */
const WAITING_DAYS = 90
const INDIVIDUAL = 3

export function writeMedicalInsurance(world: World, sink: TableSink, income: HouseholdIncome, disability: Disability): void {
  const { people, households, enterprises: e, employment: emp } = world
  const r = createRandom(world.seed, 'medical_insurance_enrollment')
  const out = sink.open('medical_insurance_enrollment', [
    'resident_id', 'name', 'insurance_type', 'person_category', 'assistance_category', 'employer_uscc', 'district_code',
    'enrolled_on', 'status', 'contribution_base', 'annual_personal_contribution', 'benefit_start', 'benefit_end',
    'chronic_condition',
  ])
  // owners of the businesses that insure nobody but, perhaps, themselves
  const owner = new Uint8Array(people.count)
  for (let i = 0; i < e.count; i++) if ((e.type[i] === INDIVIDUAL || e.micro[i] === 1) && isActiveStatus(e.status[i]!)) owner[e.legalRep[i]!] = 1
  const months = CONTRIBUTION_PERIODS.length
  const date = createDateCache()
  for (let p = 0; p < people.count; p++) {
    const h = people.household[p]!
    const age = people.age[p]!
    const district = DISTRICTS[households.district[h]!]!.code
    const frailty = people.frailty[p]!
    const chronic = r.chance(
      disability.type[p] === MENTAL ? 0.8 : age >= 60 ? 0.12 + 0.5 * frailty : age >= 40 ? 0.05 : 0.01,
    )
    const firstEnrolled = Math.max(people.birthDay[p]! + 30, RESIDENTS_SINCE + r.int(0, 1500))
    const row = (type: string, category: string, assistance: string | null, employer: number, enrolled: number, status: string, base: number | null, paid: number | null, start: number, end: number | null): void => {
      out.row([
        people.residentId[p]!, people.name[p]!, type, category, assistance, employer >= 0 ? e.uscc[employer]! : null, district,
        date(Math.min(enrolled, AS_OF_DAY - 1)), status, base, paid, date(start), end === null ? null : date(end), chronic,
      ])
    }
    // the employees' scheme
    const last = emp.employer2[p]! >= 0 ? 2 : emp.employer1[p]! >= 0 ? 1 : 0
    let insuredAsEmployee = false
    if (last > 0) {
      const employer = last === 2 ? emp.employer2[p]! : emp.employer1[p]!
      const end = last === 2 ? emp.end2[p]! : emp.end1[p]!
      const base = contributionBase(emp.wage[p]!)
      const enrolled = AS_OF_DAY - Math.round(clamp(age - 20, 0, 30) * 365.25 * r.next()) - 200
      if (isEmployedNow(world, p)) {
        const arrears = e.arrearsOpen[employer] === 1 && e.arrearsEnd[employer] === months
        row(EMPLOYEES, WORKING, null, employer, enrolled, arrears ? '暂停缴费' : '参保缴费', base, Math.round(base * EMPLOYEE_RATE * 12), YEAR_START, null)
        insuredAsEmployee = true
        // insured again as a resident by the family at home (重复参保)
        if (r.chance(0.01)) row(RESIDENTS, '城乡居民（成年）', null, -1, firstEnrolled, '参保缴费', null, RESIDENT_PREMIUM, YEAR_START, YEAR_END)
      } else {
        const stopped = periodStartDay(CONTRIBUTION_PERIODS[Math.min(end, months - 1)]!)
        row(EMPLOYEES, WORKING, null, employer, enrolled, r.chance(0.6) ? '暂停缴费' : '终止参保', base, null, YEAR_START, Math.max(YEAR_START, stopped))
        // most of them have joined the residents' scheme since
        if (!r.chance(0.65)) continue
      }
    } else if (isRetirementAge(world, p) && income.retiredEmployee[p] === 1) {
      row(EMPLOYEES, RETIRED, null, -1, people.birthDay[p]! + Math.round((people.male[p] === 1 ? 60 : 55) * 365.25), '参保缴费', null, 0, YEAR_START, null)
      insuredAsEmployee = true
    } else if (age >= 18 && !isRetirementAge(world, p) && r.chance(owner[p] === 1 ? 0.55 : 0.015)) {
      // most choose the lowest base; the better off pay on more
      const base = Math.round(BASE_MIN * (people.income[p]! > 1.3 ? r.pick([1, 1.5, 2]) : 1))
      row(EMPLOYEES, FLEXIBLE, null, -1, AS_OF_DAY - r.int(200, 3000), r.chance(0.9) ? '参保缴费' : '暂停缴费', base, Math.round(base * FLEXIBLE_RATE * 12), YEAR_START, null)
      insuredAsEmployee = true
    }
    if (insuredAsEmployee) continue
    // the residents' scheme
    const assistance =
      income.assistance[h] === EXTREME_POVERTY ? '特困人员'
      : income.assistance[h] === MINIMUM_LIVING ? '低保对象'
      : disability.certified[p] === 1 && disability.grade[p]! <= 2 && r.chance(0.95) ? '重度残疾人'
      : income.perCapita[h]! < 800 && r.chance(0.02) ? '防止返贫监测对象'
      : null
    const enrols = assistance !== null ? 0.995 : people.moved[p] === 1 ? 0.5 : age < 18 || age >= 60 ? 0.99 : age < 35 ? 0.92 : 0.96
    if (!r.chance(enrols)) continue
    const premium = assistance === '特困人员' || assistance === '重度残疾人' ? 0 : assistance === '低保对象' ? 120 : assistance !== null ? 200 : RESIDENT_PREMIUM
    const late = r.chance(0.06)
    const enrolled = late ? YEAR_START + r.int(30, 240) : firstEnrolled
    row(
      RESIDENTS, age < 18 ? '城乡居民（学生儿童）' : age >= 60 ? '城乡居民（老年）' : '城乡居民（成年）', assistance, -1, enrolled, '参保缴费', null,
      premium, late ? Math.min(enrolled + WAITING_DAYS, YEAR_END) : YEAR_START, YEAR_END,
    )
  }
}
