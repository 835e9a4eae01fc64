import { defineProduct, t, ProductError, periodRange } from 'indomain/sdk'

/**
 * 社保断缴核验 — with the person's consent, whether their basic pension insurance (企业职工基本养老保险)
 * lapsed within a period of at most three years, and in which months: a month lapses when nothing
 * was paid for it (no contribution, or one still owed: 欠缴); a month paid late (补缴) counts as paid.
 * Yes or no and the months — nothing else about the person.
 */

const PERIOD = '^\\d{4}(0[1-9]|1[0-2])$'
const PENSION = '企业职工基本养老保险'
const MAX_MONTHS = 36

export default defineProduct({
  id: 'social-insurance-lapse-check',
  version: '1.0.0',
  kind: 'api',
  title: '社保断缴核验',
  category: '产业发展',
  description: '经本人授权，核验其企业职工基本养老保险在指定期间（不超过36个月）内是否断缴及断缴月份，不输出缴费单位、缴费基数等任何其他信息。',
  entityKey: 'residentId',
  scenario: {
    purpose: '金融机构、用人单位经本人授权核验其社保缴纳连续性（如贷前审查、入职背景核验）',
    tables: {
      social_insurance_payment: {
        key: 'resident_id',
        fields: { insurance_type: '仅统计养老保险', period: '缴费所属月份', payment_status: '是否缴费（已缴费/补缴/欠缴）' },
      },
    },
  },
  input: t.object({
    residentId: t.residentId(),
    from: t.string({ pattern: PERIOD }),
    to: t.string({ pattern: PERIOD }),
  }),
  output: t.object({
    lapsed: t.boolean(),
    months: t.array(t.string({ pattern: PERIOD }), { maxItems: MAX_MONTHS }),
  }),
  run(ctx, input) {
    if (input.from > input.to) throw new ProductError('PERIOD_REVERSED', 'from must not be after to')
    const period = periodRange(input.from, input.to)
    if (period.length > MAX_MONTHS) throw new ProductError('PERIOD_TOO_LONG', 'at most 36 months')
    if (input.to > ctx.asOf.slice(0, 4) + ctx.asOf.slice(5, 7)) throw new ProductError('PERIOD_AFTER_DATA', 'the period ends after the data does')
    const paid = new Set<string>()
    for (const row of ctx.rows('social_insurance_payment')) {
      if (row.insurance_type !== PENSION) continue
      if (row.payment_status === '已缴费' || row.payment_status === '补缴') paid.add(String(row.period))
    }
    const lapsed = period.filter((m) => !paid.has(m))
    return { lapsed: lapsed.length > 0, months: lapsed }
  },
})
