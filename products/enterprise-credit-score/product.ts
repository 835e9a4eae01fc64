import { defineProduct, t, bucketize, scorecard, grade, ProductError, type Row } from 'indomain/sdk'

/**
 * 企业信用贷 — an enterprise credit score for lenders, from public records only: registration,
 * social-insurance contributions, tax arrears and credit grades, court enforcement listings,
 * mortgages and electricity use. A points scorecard (range 300–900) with reason codes; its points
 * were fitted on the tuning cities only (a least-squares fit of the hidden health on the
 * characteristics' bins, points = 600 × the fitted effect, the best bin of each at 0), so that the
 * score reads as about 300 + 600 × the enterprise's health.
 */

const LAST_MONTH = '202512'
const RECENT_POWER_FROM = '202507'

const REASONS = ['经营状态异常', '参保人数少', '社保欠缴', '社保补缴', '欠税', '纳税信用等级低', '失信被执行', '抵押', '用电活跃度低'] as const
const GRADES = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C'] as const
const TAX_GRADES = ['A', 'B', 'M', 'C', 'D', '无'] as const
const HEADCOUNT_BANDS = ['0', '1-9', '10-49', '50-199', '200+'] as const
const GRADE_THRESHOLDS = [[800, 'AAA'], [740, 'AA'], [680, 'A'], [620, 'BBB'], [560, 'BB'], [500, 'B']] as const

/** Tax credit grade as a number (higher is better); -1 when the enterprise has none. */
const TAX_GRADE_POINTS: Readonly<Record<string, number>> = { D: 0, C: 1, M: 2, B: 3, A: 4 }

const score = scorecard({
  base: 882,
  min: 300,
  max: 900,
  maxReasons: 5,
  characteristics: {
    headcount: { bounds: [1, 3, 10, 50], points: [-31, -6, -6, -7, 0], reason: '参保人数少' },
    arrearsMonths: { bounds: [1], points: [0, -105], reason: '社保欠缴' },
    lateMonths: { bounds: [1, 4], points: [0, -65, -103], reason: '社保补缴' },
    taxArrears: { bounds: [1], points: [0, -116], reason: '欠税' },
    // unrated, D or C, M, B, A: a B grade weighs more than M (on the tuning cities, B-rated firms
    // were weaker than new ones); years rated A below carry the rest
    taxGrade: { bounds: [0, 2, 3, 4], points: [0, -98, -4, -42, -30], reason: '纳税信用等级低' },
    yearsRatedA: { bounds: [1, 2], points: [-140, -45, 0], reason: '纳税信用等级低' },
    dishonest: { bounds: [1], points: [0, -99], reason: '失信被执行' },
    activeMortgages: { bounds: [1], points: [0, -28], reason: '抵押' },
    monthlyKwh: { bounds: [10, 200, 2000], points: [-111, -26, -9, 0], reason: '用电活跃度低' },
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
        fields: { status: '判断是否正常经营', enterprise_type: '区分个体工商户与公司' },
      },
      social_insurance_payment: {
        key: 'employer_uscc',
        fields: { resident_id: '统计最近一月参保人数（假名，不输出）', period: '按月统计参保人数', payment_status: '识别欠缴与补缴' },
      },
      tax_arrears: { key: 'taxpayer_uscc', fields: { arrears_amount: '欠税规模', status: '是否已缴清' } },
      tax_credit_rating: { key: 'taxpayer_uscc', fields: { year: '取最近年度', grade: '纳税信用等级及评为A级的年数' } },
      dishonest_debtor: { key: 'debtor_uscc', fields: { removed_on: '是否仍在失信名单' } },
      mortgage: { key: 'mortgagor_uscc', fields: { status: '是否存在有效抵押' } },
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

    // social insurance: the people insured in the last month, months in arrears and months paid late.
    // A large employer has thousands of person-months: read as columns (codes), not as row objects
    const payments = ctx.columns('social_insurance_payment')
    const period = payments.text('period')
    const status = payments.text('payment_status')
    const person = payments.text('resident_id')
    const insured = new Set<string>()
    const arrearsPeriods = new Set<string>()
    const latePeriods = new Set<string>()
    for (let i = 0; i < payments.length; i++) {
      const month = period.value(i) ?? ''
      if (month === LAST_MONTH) insured.add(person.value(i) ?? '')
      const paid = status.value(i)
      if (paid === '欠缴') arrearsPeriods.add(month)
      else if (paid === '补缴') latePeriods.add(month)
    }
    const headcount = insured.size

    const taxArrears = ctx.rows('tax_arrears').reduce((sum, r) => sum + (text(r, 'status') === '已缴清' ? 0 : amount(r, 'arrears_amount')), 0)
    const ratings = [...ctx.rows('tax_credit_rating')].sort((a, b) => amount(b, 'year') - amount(a, 'year'))
    const latestGrade = ratings.length === 0 ? '无' : text(ratings[0]!, 'grade')
    const dishonest = ctx.rows('dishonest_debtor').filter((r) => r.removed_on === null).length
    const mortgages = ctx.rows('mortgage').filter((r) => text(r, 'status') === '有效').length
    const recentPower = ctx.rows('power_usage').filter((r) => text(r, 'period') >= RECENT_POWER_FROM)
    const monthlyKwh = recentPower.reduce((s, r) => s + amount(r, 'usage'), 0) / 6

    // individual businesses and cooperatives rarely insure staff and are not rated for tax
    // credit: for them those characteristics are neutral rather than negative
    const small = ['个体工商户', '农民专业合作社'].includes(text(basic, 'enterprise_type'))
    const result = score({
      headcount: small && headcount === 0 ? 3 : headcount,
      arrearsMonths: arrearsPeriods.size,
      lateMonths: latePeriods.size,
      taxArrears,
      taxGrade: TAX_GRADE_POINTS[latestGrade] ?? (small ? 2 : -1),
      yearsRatedA: ratings.filter((r) => text(r, 'grade') === 'A').length,
      dishonest,
      activeMortgages: mortgages,
      monthlyKwh,
    })
    const active = ['存续', '在业'].includes(text(basic, 'status'))
    const final = active ? result.score : 300
    const reasons = active ? [...result.reasons] : ['经营状态异常', ...result.reasons].slice(0, 6)
    ctx.log(`headcount=${headcount} arrears=${arrearsPeriods.size} late=${latePeriods.size} grade=${latestGrade}`)
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
