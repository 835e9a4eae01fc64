import { defineProduct, t, bucketize } from 'indomain/sdk'

/**
 * 企业欠税等级评估 — an enterprise's tax-arrears risk for lenders and suppliers: a risk score (0–100,
 * higher is riskier) and a grade from the tax authority's credit ratings (their mean score over the
 * years rated, or none at all) and its arrears announcements (how many, whether any is outstanding).
 * The score is a logistic model fitted on the tuning cities only: on them, the chance in percent
 * that the enterprise is in poor health. Bands and codes only: no amount, no tax office, no person.
 */

const AS_OF_DAY = Date.UTC(2025, 11, 31) / 86_400_000
const GRADES = ['A', 'B', 'C', 'D', 'E'] as const
const AMOUNT_BANDS = ['无', '1万以下', '1-10万', '10-50万', '50万以上'] as const
const TAX_GRADES = ['A', 'B', 'M', 'C', 'D', '无'] as const
type TaxGrade = (typeof TAX_GRADES)[number]
const REASONS = ['存在欠税', '欠税逾一年', '新增欠税', '欠税金额较大', '纳税信用等级低', '无纳税信用评价'] as const

/** Log-odds of poor health (logistic fit on the tuning cities). */
const MODEL = {
  intercept: -1.544,
  /** per point of mean credit score below 80 (a rating without a score counts as 80) */
  perScorePointBelow80: 0.2549,
  unrated: 1.474,
  outstanding: 0.263,
  /** per arrears announcement, at most three counted */
  perAnnouncement: 0.649,
} as const

export default defineProduct({
  id: 'enterprise-tax-arrears-grade',
  version: '1.0.0',
  kind: 'api',
  title: '企业欠税等级评估',
  category: '产业发展',
  description: '依据欠税公告与历年纳税信用评价评估企业欠税风险：输出0–100风险分（经营不善的估计概率，百分数）、A–E等级、欠税金额区间与原因码，不输出具体金额、税务机关或人员信息。',
  entityKey: 'uscc',
  scenario: {
    purpose: '金融机构与供应链企业评估交易对手的欠税风险',
    tables: {
      // the register answers which enterprises exist: one without a tax record is graded as unrated, not unknown
      enterprise_basic: { key: 'uscc', fields: { uscc: '确认企业已登记：无欠税、无纳税信用评价记录的企业按未评级作答' } },
      tax_arrears: { key: 'taxpayer_uscc', fields: { arrears_amount: '欠税规模（仅输出区间）', new_arrears_amount: '是否持续新增欠税', arrears_since: '欠税时长', status: '是否已缴清' } },
      tax_credit_rating: { key: 'taxpayer_uscc', fields: { year: '最近评价年度', grade: '纳税信用等级', score: '历年纳税信用评分的均值' } },
    },
  },
  input: t.object({ uscc: t.uscc() }),
  output: t.object({
    riskScore: t.integer({ minimum: 0, maximum: 100 }),
    grade: t.enum(GRADES),
    outstanding: t.enum(AMOUNT_BANDS),
    taxCreditGrade: t.enum(TAX_GRADES),
    reasons: t.array(t.enum(REASONS), { maxItems: REASONS.length }),
  }),
  run(ctx) {
    const reasons: (typeof REASONS)[number][] = []
    const arrears = ctx.rows('tax_arrears')
    let outstanding = 0
    let fresh = 0
    let oldestDay = Number.POSITIVE_INFINITY
    for (const a of arrears) {
      if (a.status === '已缴清') continue
      outstanding += typeof a.arrears_amount === 'number' ? a.arrears_amount : 0
      fresh += typeof a.new_arrears_amount === 'number' ? a.new_arrears_amount : 0
      if (typeof a.arrears_since === 'string') oldestDay = Math.min(oldestDay, Date.parse(a.arrears_since) / 86_400_000)
    }
    const ratings = ctx.rows('tax_credit_rating').slice().sort((x, y) => Number(y.year) - Number(x.year))
    const latest = ratings[0]
    const creditGrade: TaxGrade = TAX_GRADES.find((g) => g === latest?.grade) ?? '无'
    const scores = ratings.flatMap((r) => (typeof r.score === 'number' ? [r.score] : []))
    const meanScore = scores.length === 0 ? 80 : scores.reduce((a, b) => a + b, 0) / scores.length
    // the years' mean score says more than the latest one; no rating at all is a warning of its own
    const logOdds =
      MODEL.intercept +
      MODEL.perScorePointBelow80 * (80 - meanScore) +
      (latest === undefined ? MODEL.unrated : 0) +
      (outstanding > 0 ? MODEL.outstanding : 0) +
      MODEL.perAnnouncement * Math.min(arrears.length, 3)
    const risk = 100 / (1 + Math.exp(-logOdds))
    if (creditGrade === 'D' || creditGrade === 'C') reasons.push('纳税信用等级低')
    if (latest === undefined) reasons.push('无纳税信用评价')
    if (outstanding > 0) {
      reasons.push('存在欠税')
      if (outstanding >= 100_000) reasons.push('欠税金额较大')
      if (AS_OF_DAY - oldestDay > 365) reasons.push('欠税逾一年')
      if (fresh > 0) reasons.push('新增欠税')
    }
    const riskScore = Math.max(0, Math.min(100, Math.round(risk)))
    return {
      riskScore,
      grade: GRADES[bucketize(riskScore, [20, 35, 50, 65])]!,
      outstanding: outstanding <= 0 ? '无' : AMOUNT_BANDS[1 + bucketize(outstanding, [10_000, 100_000, 500_000])]!,
      taxCreditGrade: creditGrade,
      reasons,
    }
  },
})
