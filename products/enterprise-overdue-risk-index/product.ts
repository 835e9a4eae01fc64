import { defineProduct, t, grade } from 'indomain/sdk'
import { readRiskSignals } from './risk-signals.ts'
import { characteristicsOf, scoreHealth } from './risk-card.ts'

/**
 * 企业逾期风险指数 — for a lender, the chance (0–100, in percent) that a loan an enterprise takes now
 * falls 30 days or more overdue within twelve months, with a band and the reasons, from public
 * records only: the annual reports the enterprise filed with the market regulator (years of loss,
 * margins read back from the tax paid, leverage, revenue and tax trends, filing on time), the list of abnormal
 * operations, tax arrears and credit grades, court enforcement, social-insurance arrears and unpaid
 * electricity. A health scorecard (risk-card.ts) turns them into a score of about 1000 × health; a
 * logistic curve turns the score into the chance. Both were fitted on the tuning cities only.
 */

/** The chance of falling overdue, log-odds = INTERCEPT + SLOPE × score / 1000 (fitted on the tuning cities' borrowers). */
const INTERCEPT = 0.5
const SLOPE = -5.198
const BANDS = ['低', '较低', '中', '较高', '高'] as const
/** Index at least 16 is 高, at least 8 较高, at least 4 中, at least 2 较低. */
const BAND_THRESHOLDS = [[16, '高'], [8, '较高'], [4, '中'], [2, '较低']] as const
const REASONS = ['登记状态异常', '年报缺失或未填报利润', '多年亏损', '利润率偏低', '资产负债率高', '纳税额下降', '营业收入下降', '年报未按时报送', '欠税', '失信被执行', '列入经营异常名录', '无A级纳税信用', '社保欠缴', '社保补缴', '电费欠缴'] as const
const MAX_REASONS = 5

export default defineProduct({
  id: 'enterprise-overdue-risk-index',
  version: '1.0.0',
  kind: 'api',
  title: '企业逾期风险指数',
  category: '产业发展',
  description:
    '面向银行的企业逾期风险指数：依据企业年报、经营异常名录、欠税与纳税信用、失信被执行、社保欠缴和电费欠缴等公共数据，估计企业当前借款在未来12个月内逾期30天以上的概率（0–100），输出风险等级与原因码，不输出任何原始记录或金额。',
  entityKey: 'uscc',
  scenario: {
    purpose: '银行对企业贷款申请进行贷前逾期风险评估（经企业授权）。',
    tables: {
      enterprise_basic: { key: 'uscc', fields: { status: '判断是否仍在经营', enterprise_type: '区分个体工商户、合作社与公司（年报填报项不同）' } },
      enterprise_annual_report: {
        key: 'uscc',
        fields: {
          report_year: '按年度比较',
          on_time: '年报是否按时报送',
          revenue: '营业收入区间的升降（仅用区间）',
          profit: '利润率与亏损年份（与纳税额相除，不输出）',
          tax_paid: '纳税额变化，并据以换算利润率（不输出）',
          total_assets: '资产负债率（不输出）',
          total_liabilities: '资产负债率（不输出）',
        },
      },
      business_abnormal_list: { key: 'uscc', fields: { status: '是否仍列入经营异常名录' } },
      tax_arrears: { key: 'taxpayer_uscc', fields: { status: '是否有未缴清欠税' } },
      tax_credit_rating: { key: 'taxpayer_uscc', fields: { grade: '评为A级的年数' } },
      dishonest_debtor: { key: 'debtor_uscc', fields: { removed_on: '是否仍在失信名单' } },
      social_insurance_payment: { key: 'employer_uscc', fields: { period: '按月统计', payment_status: '欠缴与补缴月数' } },
      power_usage: { key: 'holder_uscc', fields: { period: '按月统计', payment_status: '电费欠缴月数' } },
    },
  },
  input: t.object({ uscc: t.uscc() }),
  output: t.object({
    index: t.integer({ minimum: 0, maximum: 100 }),
    band: t.enum(BANDS),
    reasons: t.array(t.enum(REASONS), { maxItems: MAX_REASONS }),
    asOf: t.string({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  }),
  run(ctx) {
    const signals = readRiskSignals(ctx)
    // a deregistered or revoked enterprise takes no loan: the top of the scale, and why
    if (!signals.live) return { index: 100, band: '高' as const, reasons: ['登记状态异常' as const], asOf: ctx.asOf }
    const { score, reasons } = scoreHealth(characteristicsOf(signals), MAX_REASONS)
    const index = Math.round(100 / (1 + Math.exp(-(INTERCEPT + (SLOPE * score) / 1000))))
    ctx.log(`score=${score} index=${index}`)
    return { index, band: grade(index, BAND_THRESHOLDS, '低'), reasons: reasons as (typeof REASONS)[number][], asOf: ctx.asOf }
  },
})
