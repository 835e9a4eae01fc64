import { defineProduct, t, scorecard, grade, periodRange } from 'indomain/sdk'

/**
 * 个人信用贷 — with the person's consent, a credit score for consumer and small-business loans from
 * public records: how steadily they paid into social insurance and the housing fund over two years
 * (lapses, arrears), whether a court lists them as a dishonest debtor, whether their property is
 * pledged to small lenders, and whether they own property. Score 300–900, a grade and reason codes;
 * no record, amount, employer or property leaves.
 */

const FROM = '202401'
const TO = '202512'
const PENSION = '企业职工基本养老保险'
const REASONS = ['社保断缴', '社保欠缴', '公积金断缴', '失信被执行', '小贷抵押', '无自有房产'] as const
const GRADES = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C'] as const
const GRADE_THRESHOLDS = [[780, 'AAA'], [720, 'AA'], [660, 'A'], [600, 'BBB'], [540, 'BB'], [480, 'B']] as const

/**
 * Months a seasonal worker (construction, farming, hotels) does not pay in any year: a lapse in
 * them says less about distress than one in the rest of the year.
 */
const SEASONAL_MONTHS = ['01', '02', '03']

// points of the two lapse counts fitted on the tuning cities only (a logistic fit of high distress
// on their bins, 60 points per unit of log-odds); a court listing and a pledge to a small lender
// are the lender's policy (rare, and heavy whatever the fit says)
const score = scorecard({
  base: 660,
  min: 300,
  max: 900,
  maxReasons: 4,
  characteristics: {
    // a lapse of a year or more is more often someone who left work for good than one in distress
    lapsedMonths: { bounds: [1, 3, 7, 12], points: [60, -32, -89, -154, -72], reason: '社保断缴' },
    seasonalLapses: { bounds: [1, 3], points: [10, -19, -32], reason: '社保断缴' },
    // months owed and owning property said next to nothing about distress on the tuning cities: light weights
    owedMonths: { bounds: [1, 3], points: [5, -5, -10], reason: '社保欠缴' },
    fundLapses: { bounds: [1], points: [10, -10], reason: '公积金断缴' },
    dishonest: { bounds: [1], points: [20, -250], reason: '失信被执行' },
    smallLender: { bounds: [1], points: [10, -80], reason: '小贷抵押' },
    properties: { bounds: [1], points: [-5, 5], reason: '无自有房产' },
  },
})

export default defineProduct({
  id: 'personal-credit-score',
  version: '1.0.0',
  kind: 'api',
  title: '个人信用贷',
  category: '产业发展',
  description: '经本人授权，依据社保与公积金缴纳连续性、失信被执行、小额贷款抵押及自有房产情况输出 300–900 分个人信用评分、等级与原因码，不输出任何明细、金额或单位信息。',
  entityKey: 'residentId',
  scenario: {
    purpose: '银行经借款人本人授权开展个人信用贷款贷前评估',
    tables: {
      social_insurance_payment: { key: 'resident_id', fields: { insurance_type: '仅统计养老保险', period: '缴费月份', payment_status: '断缴、欠缴' } },
      housing_fund_payment: { key: 'resident_id', fields: { period: '缴存月份', status: '是否正常缴存' } },
      dishonest_debtor: { key: 'debtor_resident_id', fields: { removed_on: '是否仍在失信名单' } },
      mortgage: { key: 'mortgagor_resident_id', fields: { status: '抵押是否有效', mortgagee_class: '是否抵押给小额贷款公司或融资担保公司' } },
      property_right_holder: { key: 'holder_resident_id', fields: { holder_seq: '是否持有房产' } },
    },
  },
  input: t.object({ residentId: t.residentId() }),
  output: t.object({
    score: t.integer({ minimum: 300, maximum: 900 }),
    grade: t.enum(GRADES),
    reasons: t.array(t.enum(REASONS), { maxItems: 4 }),
  }),
  run(ctx) {
    const period = periodRange(FROM, TO)
    const paid = new Set<string>()
    const owed = new Set<string>()
    let first: string | undefined
    for (const row of ctx.rows('social_insurance_payment')) {
      if (row.insurance_type !== PENSION) continue
      const m = String(row.period)
      if (m < FROM || m > TO) continue
      if (row.payment_status === '欠缴') owed.add(m)
      else paid.add(m)
      if (first === undefined || m < first) first = m
    }
    // lapses count from the first month the person was insured in the window (nobody is blamed for not working yet)
    const lapses = first === undefined ? [] : period.filter((m) => m >= first! && !paid.has(m) && !owed.has(m))
    const seasonalLapses = lapses.filter((m) => SEASONAL_MONTHS.includes(m.slice(4))).length
    const fund = ctx.rows('housing_fund_payment').filter((r) => String(r.period) >= FROM && String(r.period) <= TO)
    const fundMonths = new Set(fund.filter((r) => r.status === '正常缴存').map((r) => String(r.period)))
    const fundFirst = fund.map((r) => String(r.period)).sort()[0]
    const fundLapses = fundFirst === undefined ? 0 : period.filter((m) => m >= fundFirst && !fundMonths.has(m)).length
    const result = score({
      lapsedMonths: lapses.length - seasonalLapses,
      seasonalLapses,
      owedMonths: owed.size,
      fundLapses,
      dishonest: ctx.rows('dishonest_debtor').filter((r) => r.removed_on === null).length,
      smallLender: ctx.rows('mortgage').filter((r) => r.status === '有效' && (r.mortgagee_class === '小额贷款公司' || r.mortgagee_class === '融资担保公司')).length,
      properties: ctx.rows('property_right_holder').length,
    })
    return { score: result.score, grade: grade(result.score, GRADE_THRESHOLDS, 'C'), reasons: result.reasons as (typeof REASONS)[number][] }
  },
})
