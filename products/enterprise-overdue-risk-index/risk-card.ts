import { bucketize } from 'indomain/sdk'
import type { RiskSignals } from './risk-signals.ts'

/**
 * The health scorecard: points per bin of each characteristic, fitted on the tuning cities only (a
 * ridge least-squares fit of the recorded health of every live enterprise on the characteristics'
 * bins, points = 1000 × the fitted effect, the best bin of each at 0), so that the score reads as
 * about 1000 × the enterprise's health. Where the records give no figure, the characteristic takes
 * one of two values below every real one, each a bin of its own: not stated by a company that
 * should have (a blank, no report), or not asked by the form (an individual business states no
 * profit, a cooperative no assets). Not having a figure moves the score but is never a reason.
 */

const NOT_STATED = -99
const NOT_ASKED = -98
/** Bin bounds that put NOT_STATED in bin 0 and NOT_ASKED in bin 1; and NOT_STATED alone in bin 0. */
const MISSING_BOUNDS = [-98.5, -9] as const
const NOT_STATED_BOUND = [-9] as const

export type RiskCharacteristic = 'margin' | 'lossShare' | 'leverage' | 'taxGrowth' | 'bandChange' | 'lateReports' | 'taxArrears' | 'dishonest' | 'abnormalListed' | 'yearsRatedA' | 'arrearsMonths' | 'lateMonths' | 'unpaidPowerMonths'

/**
 * A characteristic: bin bounds (as `bucketize`), points per bin, the reason a bin that costs points
 * gives, and how many of the first bins are bins of no figure (which give no reason, or `unstated`
 * for the first: a figure the company should have stated).
 */
export type CardEntry = { readonly bounds: readonly number[]; readonly points: readonly number[]; readonly reason: string; readonly missingBins: number; readonly unstated?: string }

export const HEALTH_BASE = 980

export const HEALTH_CARD: Readonly<Record<RiskCharacteristic, CardEntry>> = {
  // 2.5–4.5% of revenue paid in tax in a profitable year, 1% in a year of loss (risk-signals.ts)
  margin: { bounds: [...MISSING_BOUNDS, 0.1], points: [-109, -94, -93, 0], reason: '利润率偏低', missingBins: 2, unstated: '年报缺失或未填报利润' },
  lossShare: { bounds: [...NOT_STATED_BOUND, 0.01, 0.34, 0.67], points: [-65, 0, -64, -134, -229], reason: '多年亏损', missingBins: 1 },
  leverage: { bounds: [...MISSING_BOUNDS, 0.4, 0.6, 0.8], points: [-2, 8, 0, -32, -72, -97], reason: '资产负债率高', missingBins: 2 },
  taxGrowth: { bounds: [...NOT_STATED_BOUND, -0.1, 0, 0.1], points: [-28, -67, -44, -9, 0], reason: '纳税额下降', missingBins: 1 },
  bandChange: { bounds: [...NOT_STATED_BOUND, 0, 1], points: [-31, -73, -32, 0], reason: '营业收入下降', missingBins: 1 },
  lateReports: { bounds: [1, 2], points: [0, -1, -57], reason: '年报未按时报送', missingBins: 0 },
  taxArrears: { bounds: [1], points: [0, -122], reason: '欠税', missingBins: 0 },
  dishonest: { bounds: [1], points: [0, -110], reason: '失信被执行', missingBins: 0 },
  abnormalListed: { bounds: [1], points: [0, -64], reason: '列入经营异常名录', missingBins: 0 },
  yearsRatedA: { bounds: [1, 2], points: [-62, -11, 0], reason: '无A级纳税信用', missingBins: 0 },
  arrearsMonths: { bounds: [1], points: [0, -73], reason: '社保欠缴', missingBins: 0 },
  lateMonths: { bounds: [1], points: [0, -66], reason: '社保补缴', missingBins: 0 },
  unpaidPowerMonths: { bounds: [1, 3], points: [0, -33, -95], reason: '电费欠缴', missingBins: 0 },
}

/** Each characteristic's value for one enterprise. */
export function characteristicsOf(s: RiskSignals): Record<RiskCharacteristic, number> {
  const flag = (b: boolean) => (b ? 1 : 0)
  const asked = (value: number | null, askedOfForm: boolean) => value ?? (askedOfForm ? NOT_STATED : NOT_ASKED)
  const company = s.form === 'company'
  return {
    margin: asked(s.margin, s.form !== 'individual'),
    lossShare: asked(s.lossShare, true),
    leverage: asked(s.leverage, company),
    taxGrowth: asked(s.taxGrowth, true),
    bandChange: asked(s.bandChange, true),
    lateReports: s.lateReports,
    taxArrears: flag(s.taxArrears),
    dishonest: flag(s.dishonest),
    abnormalListed: flag(s.abnormalListed),
    yearsRatedA: s.yearsRatedA,
    arrearsMonths: s.arrearsMonths,
    lateMonths: s.lateMonths,
    unpaidPowerMonths: s.unpaidPowerMonths,
  }
}

export type HealthScore = { readonly score: number; readonly reasons: readonly string[] }

/** The scorecard's score (about 1000 × health) and the reasons that cost most, worst first. */
export function scoreHealth(values: Readonly<Record<RiskCharacteristic, number>>, maxReasons: number): HealthScore {
  let score = HEALTH_BASE
  const costs: { reason: string; points: number }[] = []
  for (const [name, entry] of Object.entries(HEALTH_CARD) as [RiskCharacteristic, CardEntry][]) {
    const bin = bucketize(values[name], entry.bounds)
    const points = entry.points[bin]!
    score += points
    const reason = bin >= entry.missingBins ? entry.reason : bin === 0 ? entry.unstated : undefined
    if (points < 0 && reason !== undefined) costs.push({ reason, points })
  }
  costs.sort((a, b) => a.points - b.points)
  return { score, reasons: [...new Set(costs.map((c) => c.reason))].slice(0, maxReasons) }
}
