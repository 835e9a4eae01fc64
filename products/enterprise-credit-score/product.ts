import { defineProduct, t, bucketize, gapSummary, monthsBetween, scorecard, grade, ProductError, type Row } from 'indomain/sdk'

/**
 * 企业信用贷 — an enterprise credit score for lenders, from public records only: registration,
 * social-insurance contributions, tax arrears and credit grades, court enforcement listings,
 * mortgages and electricity use. A points scorecard (base 600, range 300–900) with reason codes.
 */

const WINDOW_FROM = '202401'
const WINDOW_TO = '202512'

const REASONS = ['经营状态异常', '成立时间短', '参保人数少', '社保断缴', '社保欠缴', '社保补缴', '欠税', '纳税信用等级低', '失信被执行', '抵押', '用电活跃度低'] as const
const GRADES = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C'] as const
const TAX_GRADES = ['A', 'B', 'M', 'C', 'D', '无'] as const
const HEADCOUNT_BANDS = ['0', '1-9', '10-49', '50-199', '200+'] as const
const GRADE_THRESHOLDS = [[800, 'AAA'], [740, 'AA'], [680, 'A'], [620, 'BBB'], [560, 'BB'], [500, 'B']] as const

/** Tax credit grade as a number (higher is better); -1 when the enterprise has none. */
const TAX_GRADE_POINTS: Readonly<Record<string, number>> = { D: 0, C: 1, M: 2, B: 3, A: 4 }

const score = scorecard({
  base: 600,
  min: 300,
  max: 900,
  maxReasons: 5,
  characteristics: {
    yearsEstablished: { bounds: [1, 3, 5, 10], points: [-60, -25, 0, 20, 40], reason: '成立时间短' },
    headcount: { bounds: [1, 3, 10, 50], points: [-80, -15, 10, 30, 50], reason: '参保人数少' },
    longestGap: { bounds: [1, 3], points: [10, -30, -70], reason: '社保断缴' },
    arrearsMonths: { bounds: [1, 3], points: [30, -70, -130], reason: '社保欠缴' },
    lateMonths: { bounds: [1, 4], points: [10, -20, -45], reason: '社保补缴' },
    taxArrears: { bounds: [1, 50_000, 200_000], points: [40, -70, -110, -150], reason: '欠税' },
    taxGrade: { bounds: [0, 1, 2, 3, 4], points: [-20, -150, -70, 0, 25, 55], reason: '纳税信用等级低' },
    dishonest: { bounds: [1], points: [30, -220], reason: '失信被执行' },
    riskyMortgages: { bounds: [1], points: [10, -60], reason: '抵押' },
    activeMortgages: { bounds: [1, 3], points: [5, 0, -35], reason: '抵押' },
    monthlyKwh: { bounds: [10, 200, 2000], points: [-90, -15, 10, 30], reason: '用电活跃度低' },
  },
})

function text(row: Row, field: string): string {
  const v = row[field]
  return typeof v === 'string' ? v : ''
}

function amount(row: Row, field: string): number {
  const v = row[field]
  return typeof v === 'number' ? v : 0
}

export default defineProduct({
  id: 'enterprise-credit-score',
  version: '1.0.0',
  kind: 'api',
  title: '企业信用贷',
  category: '产业发展',
  description:
    '面向银行的企业信用评分：依据登记、社保缴纳、欠税与纳税信用、失信被执行、抵押和用电等公共数据，输出 300–900 分、信用等级和扣分原因码，不输出任何原始记录。',
  entityKey: 'uscc',
  scenario: {
    purpose: '银行对小微企业贷款申请进行授信前的信用评估（经企业授权）。',
    tables: {
      enterprise_basic: {
        key: 'uscc',
        fields: { status: '判断是否正常经营', established_on: '经营年限', enterprise_type: '区分个体工商户与公司' },
      },
      social_insurance_payment: {
        key: 'employer_uscc',
        fields: { period: '按月计算参保人数与断缴', payment_status: '识别欠缴与补缴' },
      },
      tax_arrears: { key: 'taxpayer_uscc', fields: { arrears_amount: '欠税规模', status: '是否已缴清' } },
      tax_credit_rating: { key: 'taxpayer_uscc', fields: { year: '取最近年度', grade: '纳税信用等级' } },
      dishonest_debtor: { key: 'debtor_uscc', fields: { removed_on: '是否仍在失信名单' } },
      mortgage: { key: 'mortgagor_uscc', fields: { status: '是否有效', mortgagee_class: '识别向小贷、担保机构抵押' } },
      power_usage: { key: 'holder_uscc', fields: { period: '取近六个月', usage: '经营活跃度' } },
    },
  },
  input: t.object({ uscc: t.uscc() }),
  output: t.object({
    score: t.integer({ minimum: 300, maximum: 900 }),
    grade: t.enum(GRADES),
    reasons: t.array(t.enum(REASONS), { maxItems: 6 }),
    headcountBand: t.enum(HEADCOUNT_BANDS),
    taxCreditGrade: t.enum(TAX_GRADES),
    asOf: t.string({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  }),
  run(ctx) {
    const basic = ctx.rows('enterprise_basic')[0]
    if (basic === undefined) throw new ProductError('NOT_FOUND', 'no registration record')

    // social insurance: headcount per month, gaps, arrears and late payments. A large employer has
    // thousands of person-months: read as columns (codes), not as row objects
    const payments = ctx.columns('social_insurance_payment')
    const period = payments.text('period')
    const status = payments.text('payment_status')
    const perMonth = new Map<string, number>()
    const arrearsPeriods = new Set<string>()
    const latePeriods = new Set<string>()
    for (let i = 0; i < payments.length; i++) {
      const month = period.value(i) ?? ''
      perMonth.set(month, (perMonth.get(month) ?? 0) + 1)
      const paid = status.value(i)
      if (paid === '欠缴') arrearsPeriods.add(month)
      else if (paid === '补缴') latePeriods.add(month)
    }
    const arrearsMonths = arrearsPeriods.size
    const lateMonths = latePeriods.size
    const headcount = perMonth.get(WINDOW_TO) ?? 0
    const periods = [...perMonth.keys()].sort()
    const gaps = periods.length === 0 ? { longest: 0 } : gapSummary(periods, periods[0]!, WINDOW_TO)

    const taxArrears = ctx.rows('tax_arrears').reduce((sum, r) => sum + (text(r, 'status') === '已缴清' ? 0 : amount(r, 'arrears_amount')), 0)
    const ratings = [...ctx.rows('tax_credit_rating')].sort((a, b) => amount(b, 'year') - amount(a, 'year'))
    const latestGrade = ratings.length === 0 ? '无' : text(ratings[0]!, 'grade')
    const dishonest = ctx.rows('dishonest_debtor').filter((r) => r.removed_on === null).length
    const mortgages = ctx.rows('mortgage').filter((r) => text(r, 'status') === '有效')
    const risky = mortgages.filter((r) => ['小额贷款公司', '融资担保公司'].includes(text(r, 'mortgagee_class'))).length
    const recentPower = ctx.rows('power_usage').filter((r) => text(r, 'period') > '202506')
    const monthlyKwh = recentPower.length === 0 ? 0 : recentPower.reduce((s, r) => s + amount(r, 'usage'), 0) / 6

    const established = text(basic, 'established_on')
    // individual businesses and cooperatives rarely insure staff and are not rated for tax
    // credit: for them those characteristics are neutral rather than negative
    const small = ['个体工商户', '农民专业合作社'].includes(text(basic, 'enterprise_type'))
    const result = score({
      yearsEstablished: established === '' ? 0 : monthsBetween(established, ctx.asOf) / 12,
      headcount: small && headcount === 0 ? 3 : headcount,
      longestGap: gaps.longest,
      arrearsMonths,
      lateMonths,
      taxArrears,
      taxGrade: TAX_GRADE_POINTS[latestGrade] ?? (small ? 2 : -1),
      dishonest,
      riskyMortgages: risky,
      activeMortgages: mortgages.length,
      monthlyKwh,
    })
    const active = ['存续', '在业'].includes(text(basic, 'status'))
    const final = active ? result.score : 300
    const reasons = active ? [...result.reasons] : ['经营状态异常', ...result.reasons].slice(0, 6)
    ctx.log(`headcount=${headcount} arrears=${arrearsMonths} late=${lateMonths} grade=${latestGrade}`)
    return {
      score: final,
      grade: grade(final, GRADE_THRESHOLDS, 'C'),
      reasons: reasons as (typeof REASONS)[number][],
      headcountBand: HEADCOUNT_BANDS[bucketize(headcount, [1, 10, 50, 200])]!,
      taxCreditGrade: (TAX_GRADES as readonly string[]).includes(latestGrade) ? (latestGrade as (typeof TAX_GRADES)[number]) : '无',
      asOf: ctx.asOf,
    }
  },
})
