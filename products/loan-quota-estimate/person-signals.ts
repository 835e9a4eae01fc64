import type { EntityContext, Row } from 'indomain/sdk'

/**
 * What one person's public records say about what they earn and already owe: whether they are in
 * formal work now and at which contribution base (a band, as the catalog masks it), how the medical
 * insurance knows them (employee, flexibly employed, resident, on the minimum living allowance),
 * their household position, cars and homes (which go with higher incomes), the level payment of the
 * mortgages still running on them, a home they are buying now, and a court's listing.
 */
export type PersonSignals = {
  /** Age on the as-of day, from the resident ID the bank called with. */
  readonly age: number
  readonly male: boolean
  /** Pension contributions in the last three months, at this base band (`4000-6000` …), or none. */
  readonly employedBase: (typeof BASE_BANDS)[number] | null
  /** Contributions at some time in the last two years, none in the last three months. */
  readonly formerlyEmployed: boolean
  /** Housing fund deposits in the last three months. */
  readonly housingFund: boolean
  /** The medical insurance's category: 在职职工, 灵活就业人员, 退休人员, 城乡居民（成年）… or none. */
  readonly medicalCategory: string | null
  /** On the minimum living allowance (低保) or watched for poverty (防止返贫监测). */
  readonly assisted: boolean
  /** A flexibly employed person's chosen base above the lowest band. */
  readonly flexibleAboveMinimum: boolean
  readonly married: boolean
  readonly householdHead: boolean
  readonly cars: number
  readonly homes: number
  /** Monthly level payment of the mortgages still running on them, yuan. */
  readonly securedPayment: number
  /** The price of a home they signed for in the last six months (not cancelled), yuan. */
  readonly buyingPrice: number | null
  /** Listed as a dishonest judgment debtor. */
  readonly dishonest: boolean
}

const PENSION = '企业职工基本养老保险'
/** Contributions or deposits from this period on count as formal work now. */
const RECENT_FROM = '202510'
const BUYING_FROM = '2025-07-01'
/** The rate running mortgages' level payments are reckoned at (the 5-year benchmark of 2015–2019). */
const RUNNING_RATE = 0.049
/** Contribution base bands as the catalog masks them (yuan a month), lowest first. */
export const BASE_BANDS = ['<4000', '4000-6000', '6000-8000', '8000-12000', '12000-20000', '>=20000'] as const
const BASE_BOUNDS = [4000, 6000, 8000, 12000, 20000]
/** The band of the lowest base anyone contributes on (60% of the provincial average wage, 4,500 yuan). */
const LOWEST_BAND = '4000-6000'

/** A base's band: the masked label as it is, or an exact base (where an operator approved it unmasked) put in its band. */
function baseBand(value: unknown): number {
  if (typeof value === 'number') return BASE_BOUNDS.filter((b) => value >= b).length
  return (BASE_BANDS as readonly unknown[]).indexOf(value)
}

function numberOf(row: Row, field: string): number | null {
  const v = row[field]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

/** The monthly level payment of `principal` over the months from `start` to `end` (dates). */
function levelPayment(principal: number, start: string, end: string, rate: number): number {
  const months = Math.max(1, Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000 / 30.4375))
  const r = rate / 12
  return (principal * r) / (1 - (1 + r) ** -months)
}

/** Age on `asOf` (YYYY-MM-DD) of the holder of a GB 11643 resident ID. */
export function ageOf(residentId: string, asOf: string): number {
  const birth = residentId.slice(6, 14)
  const today = asOf.replaceAll('-', '')
  return Number(today.slice(0, 4)) - Number(birth.slice(0, 4)) - (today.slice(4) < birth.slice(4) ? 1 : 0)
}

export function readPersonSignals(ctx: EntityContext, residentId: string): PersonSignals {
  const pension = ctx.rows('social_insurance_payment').filter((r) => r.insurance_type === PENSION)
  const recent = pension.filter((r) => String(r.period) >= RECENT_FROM)
  // the highest band of the last months: a job change may show two
  const band = Math.max(-1, ...recent.map((r) => baseBand(r.contribution_base)))
  const fund = ctx.rows('housing_fund_payment').filter((r) => String(r.period) >= RECENT_FROM)
  const medical = ctx.rows('medical_insurance_enrollment')
  const employee = medical.find((r) => r.insurance_type === '职工基本医疗保险')
  const resident = medical.find((r) => r.insurance_type === '城乡居民基本医疗保险')
  const registration = ctx.rows('household_registration')[0]
  const running = ctx.rows('mortgage').filter((r) => r.status === '有效' && typeof r.debt_start === 'string' && typeof r.debt_end === 'string' && r.debt_end > ctx.asOf)
  const buying = ctx.rows('sale_contract_filing').filter((r) => r.status !== '已撤销' && typeof r.signed_on === 'string' && r.signed_on >= BUYING_FROM)
  const prices = buying.map((r) => numberOf(r, 'total_price')).filter((p): p is number => p !== null && p > 0)
  const flexibleBand = employee?.person_category === '灵活就业人员' ? employee.contribution_base : null
  return {
    age: ageOf(residentId, ctx.asOf),
    male: Number(residentId[16]) % 2 === 1,
    employedBase: recent.length === 0 ? null : (BASE_BANDS[band] ?? LOWEST_BAND),
    formerlyEmployed: recent.length === 0 && pension.length > 0,
    housingFund: fund.length > 0,
    medicalCategory: String(employee?.person_category ?? resident?.person_category ?? '') || null,
    assisted: resident?.assistance_category === '低保对象' || resident?.assistance_category === '防止返贫监测对象',
    flexibleAboveMinimum: baseBand(flexibleBand) > baseBand(LOWEST_BAND),
    married: registration?.marital_status === '已婚',
    householdHead: registration?.relation_to_head === '户主',
    cars: ctx.rows('vehicle').filter((r) => r.status !== '注销').length,
    homes: ctx.rows('property_right_holder').length,
    securedPayment: running.reduce((sum, r) => sum + levelPayment((numberOf(r, 'secured_amount') ?? 0) * 10_000, String(r.debt_start), String(r.debt_end), RUNNING_RATE), 0),
    buyingPrice: prices.length === 0 ? null : Math.max(...prices),
    dishonest: ctx.rows('dishonest_debtor').some((r) => r.removed_on === null),
  }
}
