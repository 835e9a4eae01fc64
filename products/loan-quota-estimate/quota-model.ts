import { BASE_BANDS, type PersonSignals } from './person-signals.ts'

/**
 * From a person's signals to the monthly incomes a bank's rule of thumb needs — their own, and
 * their household's — and from those to the amounts. The incomes are linear in the signals, with
 * weights fitted on the tuning cities only (least squares against the recorded incomes of adults
 * aged 18–60); the amounts are the bank's rules (README.md), applied to the estimated incomes.
 */

export type IncomeTerm = 'intercept' | (typeof BASE_BANDS)[number] | 'experience' | 'formerlyEmployed' | 'housingFund' | 'flexible' | 'flexibleAboveMinimum' | 'retired' | 'assisted' | 'cars' | 'homes' | 'male' | 'young' | 'older' | 'nearRetirement'

/** Own monthly income, yuan: weight per term. */
export const OWN_INCOME: Readonly<Record<IncomeTerm, number>> = {
  intercept: 1467, '<4000': 0, '4000-6000': 1279, '6000-8000': 4376, '8000-12000': 6845, '12000-20000': 11429, '>=20000': 20046,
  experience: 766, formerlyEmployed: -509, housingFund: 81, flexible: 66, flexibleAboveMinimum: 694, retired: 1960, assisted: -1114, cars: 314, homes: 278, male: 35, young: 154, older: -63, nearRetirement: -485,
}

export type HouseholdTerm = 'intercept' | 'own' | 'married' | 'marriedOwn' | 'head' | 'cars' | 'homes' | 'young' | 'older' | 'nearRetirement' | 'assisted'

/** Household monthly income, yuan: weight per term (`own` per yuan of the estimated own income). */
export const HOUSEHOLD_INCOME: Readonly<Record<HouseholdTerm, number>> = {
  intercept: 6522, own: 0.732, married: -1401, marriedOwn: 0.357, head: -2374, cars: -399, homes: -112, young: 1603, older: 2130, nearRetirement: -1533, assisted: -4193,
}

export function ownIncomeTerms(s: PersonSignals): Record<IncomeTerm, number> {
  const terms: Record<IncomeTerm, number> = { intercept: 1, '<4000': 0, '4000-6000': 0, '6000-8000': 0, '8000-12000': 0, '12000-20000': 0, '>=20000': 0, experience: 0, formerlyEmployed: 0, housingFund: 0, flexible: 0, flexibleAboveMinimum: 0, retired: 0, assisted: 0, cars: 0, homes: 0, male: 0, young: 0, older: 0, nearRetirement: 0 }
  if (s.employedBase !== null) {
    terms[s.employedBase] = 1
    // wages rise with years of work, to about 45
    terms.experience = Math.min(1, Math.max(0, (s.age - 20) / 25))
  }
  terms.formerlyEmployed = s.formerlyEmployed ? 1 : 0
  terms.housingFund = s.housingFund ? 1 : 0
  terms.flexible = s.medicalCategory === '灵活就业人员' ? 1 : 0
  terms.flexibleAboveMinimum = s.flexibleAboveMinimum ? 1 : 0
  terms.retired = s.medicalCategory === '退休人员' ? 1 : 0
  terms.assisted = s.assisted ? 1 : 0
  terms.cars = Math.min(2, s.cars)
  terms.homes = Math.min(3, s.homes)
  terms.male = s.male ? 1 : 0
  terms.young = s.age < 25 ? 1 : 0
  terms.older = s.age >= 50 ? 1 : 0
  terms.nearRetirement = s.age >= 55 ? 1 : 0
  return terms
}

export function householdIncomeTerms(s: PersonSignals, own: number): Record<HouseholdTerm, number> {
  const married = s.married ? 1 : 0
  return {
    intercept: 1,
    own,
    married,
    marriedOwn: married * own,
    head: s.householdHead ? 1 : 0,
    cars: Math.min(2, s.cars),
    homes: Math.min(3, s.homes),
    young: s.age < 30 ? 1 : 0,
    older: s.age >= 45 ? 1 : 0,
    nearRetirement: s.age >= 55 ? 1 : 0,
    assisted: s.assisted ? 1 : 0,
  }
}

function linear<K extends string>(weights: Readonly<Record<K, number>>, terms: Readonly<Record<K, number>>): number {
  let sum = 0
  for (const k of Object.keys(weights) as K[]) sum += weights[k] * terms[k]
  return Math.max(0, sum)
}

export type IncomeEstimate = { readonly own: number; readonly household: number }

export function estimateIncome(s: PersonSignals): IncomeEstimate {
  const own = linear(OWN_INCOME, ownIncomeTerms(s))
  return { own, household: Math.max(own, linear(HOUSEHOLD_INCOME, householdIncomeTerms(s, own))) }
}

/** The bank's rules of thumb (README.md): what share of income may go to repayments, at what rate, how long, how much at most. */
const REPAYMENT_SHARE = 0.5
const MORTGAGE = { rate: 0.035, years: 30, endAge: 65, loanToValue: 0.7 } as const
const STARTUP = { rate: 0.03, months: 36, lastAge: 60, cap: 300_000 } as const

/** What a monthly payment of one yuan repays over `months` at `rate` a year. */
function annuity(rate: number, months: number): number {
  if (months <= 0) return 0
  const r = rate / 12
  return (1 - (1 + r) ** -months) / r
}

/** 房贷: half the household's income less the running secured payments, over up to 30 years ending by 65, at most 70% of a home being bought; yuan. */
export function mortgageQuota(s: PersonSignals, income: IncomeEstimate): number {
  const years = Math.min(MORTGAGE.years, MORTGAGE.endAge - s.age)
  if (s.dishonest || years <= 0) return 0
  const amount = Math.max(0, REPAYMENT_SHARE * income.household - s.securedPayment) * annuity(MORTGAGE.rate, 12 * years)
  return s.buyingPrice === null ? amount : Math.min(amount, MORTGAGE.loanToValue * s.buyingPrice)
}

/** 个人创业贷: half the person's own income less the running secured payments, over three years, at most 300,000; yuan. */
export function startupQuota(s: PersonSignals, income: IncomeEstimate): number {
  if (s.dishonest || s.age >= STARTUP.lastAge) return 0
  return Math.min(STARTUP.cap, Math.max(0, REPAYMENT_SHARE * income.own - s.securedPayment) * annuity(STARTUP.rate, STARTUP.months))
}
