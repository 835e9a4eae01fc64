/** 社保缴纳信息, 社保缴纳明细, 公积金缴纳信息: monthly, driven by employment spells and employer arrears. */
import { makeBankCard } from '../identifiers/index.ts'
import { AS_OF_DAY, CONTRIBUTION_PERIODS, dateOf, periodStartDay } from './calendar.ts'
import { createRandom, clamp } from './random.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

const PENSION = '企业职工基本养老保险'
/** 2025 contribution base bounds (60% and 300% of the provincial average wage), rounded. */
const BASE_MIN = 4500
const BASE_MAX = 22500
const UNIT_RATE = 0.16
const PERSONAL_RATE = 0.08
/** Social-security card bank IINs (major banks' debit ranges). */
const CARD_IINS = ['621700', '622202', '622848', '621661', '623668', '621226', '622588', '621799']

type Spell = { employer: number; start: number; end: number }

function spells(world: World, p: number): Spell[] {
  const emp = world.employment
  const list: Spell[] = []
  if (emp.employer1[p]! >= 0) list.push({ employer: emp.employer1[p]!, start: emp.start1[p]!, end: emp.end1[p]! })
  if (emp.employer2[p]! >= 0) list.push({ employer: emp.employer2[p]!, start: emp.start2[p]!, end: emp.end2[p]! })
  const off = emp.seasonalMonthsOff[p]!
  return off === 0 ? list : list.flatMap((s) => workedSeasons(s, off))
}

/** A spell of a seasonal worker without the months off from January of each year. */
function workedSeasons(spell: Spell, monthsOff: number): Spell[] {
  const seasons: Spell[] = []
  let start = -1
  for (let m = spell.start; m <= spell.end; m++) {
    const working = m < spell.end && m % 12 >= monthsOff
    if (working && start < 0) start = m
    if (!working && start >= 0) {
      seasons.push({ employer: spell.employer, start, end: m })
      start = -1
    }
  }
  return seasons
}

export function contributionBase(wage: number): number {
  return Math.round(clamp(wage, BASE_MIN, BASE_MAX))
}

export function writeSocialInsuranceEnrollment(world: World, sink: TableSink): void {
  const { people, enterprises: e } = world
  const r = createRandom(world.seed, 'social_insurance_enrollment')
  const out = sink.open('social_insurance_enrollment', [
    'resident_id', 'name', 'employer_uscc', 'employer_name', 'insurance_type', 'enrolled_on', 'status',
    'contribution_base', 'cumulative_months', 'bank_card_no', 'phone',
  ])
  const months = CONTRIBUTION_PERIODS.length
  for (let p = 0; p < people.count; p++) {
    const list = spells(world, p)
    if (list.length === 0) continue
    const last = list[list.length - 1]!
    const lastPaid = last.end === months
    const inArrears = lastPaid && e.arrearsOpen[last.employer] === 1 && e.arrearsEnd[last.employer] === months
    const careerStart = Math.max(18, Math.min(people.age[p]!, 18 + r.int(0, 10)))
    const yearsBefore = clamp(people.age[p]! - careerStart - 2, 0, 40)
    const windowMonths = list.reduce((n, s) => n + (s.end - s.start), 0)
    const first = list[0]!
    const enrolled = first.start > 0 && yearsBefore < 1 ? periodStartDay(CONTRIBUTION_PERIODS[first.start]!) : AS_OF_DAY - Math.round((yearsBefore + 2) * 365.25) - r.int(0, 300)
    out.row([
      people.residentId[p]!,
      people.name[p]!,
      e.uscc[last.employer]!,
      e.name[last.employer]!,
      PENSION,
      dateOf(enrolled),
      lastPaid ? (inArrears ? '暂停缴费' : '参保缴费') : '暂停缴费',
      contributionBase(world.employment.wage[p]!),
      Math.round(yearsBefore * 12 * (0.75 + 0.25 * r.next())) + windowMonths,
      makeBankCard(r.pick(CARD_IINS), String(r.int(0, 999_999_999_999)).padStart(12, '0')),
      people.phone[p] ?? null,
    ])
  }
}

export function writeSocialInsurancePayment(world: World, sink: TableSink): void {
  const { people, enterprises: e } = world
  const r = createRandom(world.seed, 'social_insurance_payment')
  const out = sink.open('social_insurance_payment', [
    'resident_id', 'employer_uscc', 'insurance_type', 'period', 'contribution_base', 'unit_amount',
    'personal_amount', 'payment_status', 'paid_on',
  ])
  for (let p = 0; p < people.count; p++) {
    const list = spells(world, p)
    if (list.length === 0) continue
    const id = people.residentId[p]!
    const base = contributionBase(world.employment.wage[p]!)
    const unit = Math.round(base * UNIT_RATE * 100) / 100
    const personal = Math.round(base * PERSONAL_RATE * 100) / 100
    for (const s of list) {
      const uscc = e.uscc[s.employer]!
      const aStart = e.arrearsStart[s.employer]!
      const aEnd = e.arrearsEnd[s.employer]!
      const open = e.arrearsOpen[s.employer] === 1
      for (let m = s.start; m < s.end; m++) {
        const period = CONTRIBUTION_PERIODS[m]!
        const due = periodStartDay(period) + 31
        let status = '已缴费'
        let paid: string | null = dateOf(Math.min(AS_OF_DAY, due + r.int(0, 14)))
        if (aStart >= 0 && m >= aStart && m < aEnd) {
          if (open) {
            status = '欠缴'
            paid = null
          } else {
            status = '补缴'
            paid = dateOf(Math.min(AS_OF_DAY, periodStartDay(CONTRIBUTION_PERIODS[Math.min(aEnd, CONTRIBUTION_PERIODS.length - 1)]!) + r.int(20, 60)))
          }
        }
        out.row([id, uscc, PENSION, period, base, unit, personal, status, paid])
      }
    }
  }
}

export function writeHousingFundPayment(world: World, sink: TableSink): void {
  const { people, enterprises: e } = world
  const out = sink.open('housing_fund_payment', [
    'resident_id', 'name', 'account_no', 'employer_uscc', 'employer_name', 'period', 'deposit_base', 'unit_deposit',
    'personal_deposit', 'status',
  ])
  for (let p = 0; p < people.count; p++) {
    const list = spells(world, p).filter((s) => e.housingFundRate[s.employer]! > 0)
    if (list.length === 0) continue
    const base = contributionBase(world.employment.wage[p]!)
    // 12-digit personal account number, stable per person
    const account = `${people.residentId[p]!.slice(0, 4)}${String((p * 7919 + 104729) % 100_000_000).padStart(8, '0')}`
    for (const s of list) {
      const rate = e.housingFundRate[s.employer]!
      const deposit = Math.round(base * rate * 100) / 100
      const aStart = e.arrearsStart[s.employer]!
      const aEnd = e.arrearsEnd[s.employer]!
      for (let m = s.start; m < s.end; m++) {
        const inArrears = aStart >= 0 && m >= aStart && m < aEnd
        const status = inArrears ? (e.arrearsOpen[s.employer] === 1 ? '欠缴' : '缓缴') : '正常缴存'
        out.row([
          people.residentId[p]!,
          people.name[p]!,
          account,
          e.uscc[s.employer]!,
          e.name[s.employer]!,
          CONTRIBUTION_PERIODS[m]!,
          base,
          deposit,
          deposit,
          status,
        ])
      }
    }
  }
}
