import type { EntityContext, Row } from 'indomain/sdk'

/**
 * What one enterprise's public records say about its financial health, read from its own rows:
 * the annual reports it filed (margins, leverage, growth, filing on time), the list of abnormal
 * operations, tax arrears and credit grades, court enforcement, social-insurance arrears and unpaid
 * electricity. A figure the records cannot give is null (no report, no financial statement).
 */
export type RiskSignals = {
  /** Whether the registration is still live (存续, 在业). */
  readonly live: boolean
  /** What the annual report form asks of it: an individual business states no profit, assets or liabilities, a cooperative no assets or liabilities. */
  readonly form: 'company' | 'individual' | 'cooperative'
  readonly reports: number
  /** Reports for 2022 onwards filed after the deadline. */
  readonly lateReports: number
  /** Mean yearly margin (profit over revenue, revenue read back from the tax paid), clipped to [−0.3, 0.4]. */
  readonly margin: number | null
  /**
   * Share of the years reported whose loss or profit is known that were years of loss: from the
   * profit stated, or where none is (an individual business), from the tax paid within the revenue
   * band — a tax that only 1% of a revenue in the band can come to was paid in a year of loss.
   */
  readonly lossShare: number | null
  /** Mean liabilities over assets, clipped to [0, 2]. */
  readonly leverage: number | null
  /** Yearly growth of the tax paid, first to last report (log, clipped to ±1). */
  readonly taxGrowth: number | null
  /** Revenue bands moved between the first and the last report (up is positive). */
  readonly bandChange: number | null
  readonly abnormalListed: boolean
  readonly taxArrears: boolean
  readonly dishonest: boolean
  /** Years rated A, and whether any year was rated C or D. */
  readonly yearsRatedA: number
  readonly ratedCOrD: boolean
  /** Months with contributions owed (欠缴), and months paid late (补缴). */
  readonly arrearsMonths: number
  readonly lateMonths: number
  /** Months with the electricity bill unpaid. */
  readonly unpaidPowerMonths: number
}

const REVENUE_BANDS = ['<10', '10-50', '50-100', '100-500', '500-1000', '1000-5000', '>=5000']
/** The revenue bands' bounds, 万元 (the catalog's mask of the annual report's revenue). */
const BAND_BOUNDS: readonly (readonly [number, number])[] = [[0, 10], [10, 50], [50, 100], [100, 500], [500, 1000], [1000, 5000], [5000, Infinity]]
/**
 * Tax paid as a share of revenue: 1% in a year of loss, about 3.5% (2.5–4.5%) in a profitable one,
 * on the tuning cities. With it a year's margin needs no revenue figure, which the scenario gets
 * only as a band.
 */
const TAX_SHARE_LOSS = 0.01
const TAX_SHARE_PROFIT = 0.035
/** The range of a profitable year's tax share. */
const TAX_SHARE_PROFIT_RANGE = [0.025, 0.045] as const
const FIRST_LATE_YEAR = 2022

function numberOf(row: Row, field: string): number | null {
  const v = row[field]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, v) => a + v, 0) / values.length
}

function clip(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value
}

/** Yearly log growth of a positive figure between the first and the last of `reports` that state it. */
function yearlyGrowth(reports: readonly Row[], field: string): number | null {
  const stated = reports.filter((r) => (numberOf(r, field) ?? 0) > 0)
  const first = stated[0]
  const last = stated[stated.length - 1]
  if (first === undefined || last === undefined) return null
  const years = Number(last.report_year) - Number(first.report_year)
  return years <= 0 ? null : clip(Math.log(numberOf(last, field)! / numberOf(first, field)!) / years, -1, 1)
}

/** Whether a report's year was one of loss (true), of profit (false), or cannot be told (null). */
function lossYear(report: Row): boolean | null {
  const profit = numberOf(report, 'profit')
  if (profit !== null) return profit < 0
  const tax = numberOf(report, 'tax_paid')
  const band = BAND_BOUNDS[REVENUE_BANDS.indexOf(String(report.revenue))]
  if (tax === null || tax <= 0 || band === undefined) return null
  const within = (revenue: number) => revenue >= band[0] && revenue < band[1]
  const asLoss = within(tax / TAX_SHARE_LOSS)
  const asProfit = tax / TAX_SHARE_PROFIT_RANGE[0] >= band[0] && tax / TAX_SHARE_PROFIT_RANGE[1] < band[1]
  return asLoss === asProfit ? null : asLoss
}

/** Distinct months of a column-read table whose `field` holds `value`. */
function monthsWhere(ctx: EntityContext, table: string, field: string, value: string): number {
  const columns = ctx.columns(table)
  const period = columns.text('period')
  const status = columns.text(field)
  const months = new Set<string>()
  for (let i = 0; i < columns.length; i++) if (status.value(i) === value) months.add(period.value(i) ?? '')
  return months.size
}

export function readRiskSignals(ctx: EntityContext): RiskSignals {
  const basic = ctx.rows('enterprise_basic')[0]
  const reports = [...ctx.rows('enterprise_annual_report')].sort((a, b) => Number(a.report_year) - Number(b.report_year))
  const margins: number[] = []
  const leverages: number[] = []
  for (const r of reports) {
    const profit = numberOf(r, 'profit')
    const tax = numberOf(r, 'tax_paid')
    const assets = numberOf(r, 'total_assets')
    const liabilities = numberOf(r, 'total_liabilities')
    if (profit !== null && tax !== null && tax > 0) margins.push(clip((profit * (profit <= 0 ? TAX_SHARE_LOSS : TAX_SHARE_PROFIT)) / tax, -0.3, 0.4))
    if (assets !== null && assets > 0 && liabilities !== null) leverages.push(clip(liabilities / assets, 0, 2))
  }
  const band = (r: Row | undefined) => (r === undefined ? -1 : REVENUE_BANDS.indexOf(String(r.revenue)))
  const known = reports.map(lossYear).filter((l): l is boolean => l !== null)
  const firstBand = band(reports[0])
  const lastBand = band(reports[reports.length - 1])
  const ratings = ctx.rows('tax_credit_rating')
  return {
    live: basic !== undefined && ['存续', '在业'].includes(String(basic.status)),
    form: basic?.enterprise_type === '个体工商户' ? 'individual' : basic?.enterprise_type === '农民专业合作社' ? 'cooperative' : 'company',
    reports: reports.length,
    lateReports: reports.filter((r) => Number(r.report_year) >= FIRST_LATE_YEAR && r.on_time === false).length,
    margin: mean(margins),
    lossShare: known.length === 0 ? null : known.filter((l) => l).length / known.length,
    leverage: mean(leverages),
    taxGrowth: yearlyGrowth(reports, 'tax_paid'),
    bandChange: reports.length >= 2 && firstBand >= 0 && lastBand >= 0 ? lastBand - firstBand : null,
    abnormalListed: ctx.rows('business_abnormal_list').some((r) => r.status === '列入'),
    taxArrears: ctx.rows('tax_arrears').some((r) => r.status !== '已缴清'),
    dishonest: ctx.rows('dishonest_debtor').some((r) => r.removed_on === null),
    yearsRatedA: ratings.filter((r) => r.grade === 'A').length,
    ratedCOrD: ratings.some((r) => r.grade === 'C' || r.grade === 'D'),
    // a large employer has thousands of person-months: read as columns
    arrearsMonths: monthsWhere(ctx, 'social_insurance_payment', 'payment_status', '欠缴'),
    lateMonths: monthsWhere(ctx, 'social_insurance_payment', 'payment_status', '补缴'),
    unpaidPowerMonths: monthsWhere(ctx, 'power_usage', 'payment_status', '欠费'),
  }
}
