import { defineProduct, t } from 'indomain/sdk'

/**
 * 不动产抵押状态核验 — for a property unit (不动产单元号): is it mortgaged now, how many mortgages are in
 * force, to which classes of mortgagee (a state bank, a village bank …), and is it seized (查封).
 * Never the owner's or the mortgagor's identity, never an amount.
 */

const CLASSES = ['国有大型商业银行', '股份制商业银行', '城市商业银行', '农村商业银行', '村镇银行', '小额贷款公司', '融资担保公司', '其他'] as const

export default defineProduct({
  id: 'property-mortgage-check',
  version: '1.0.0',
  kind: 'api',
  title: '不动产抵押状态核验',
  category: '产业发展',
  description: '按不动产单元号核验房产当前是否设有抵押、有效抵押笔数、抵押权人类别及是否查封，不输出权利人、抵押人身份及金额。',
  entityKey: 'unitNo',
  scenario: {
    purpose: '金融机构贷前核验抵押物权利状态（是否已抵押、是否查封），防范重复抵押',
    tables: {
      real_estate: { key: 'unit_no', fields: { status: '是否查封、注销' } },
      mortgage: { key: 'unit_no', fields: { status: '抵押是否有效', mortgagee_class: '抵押权人类别' } },
    },
  },
  input: t.object({ unitNo: t.string({ pattern: '^\\d{12}[A-Z]{2}\\d{5}[A-Z]\\d{8}$' }) }),
  output: t.object({
    mortgaged: t.boolean(),
    activeMortgages: t.integer({ minimum: 0, maximum: 1000 }),
    mortgageeClasses: t.array(t.enum(CLASSES), { maxItems: CLASSES.length }),
    seized: t.boolean(),
    cancelled: t.boolean(),
  }),
  run(ctx) {
    const unit = ctx.rows('real_estate')[0]
    const active = ctx.rows('mortgage').filter((m) => m.status === '有效')
    const classes = new Set<(typeof CLASSES)[number]>()
    for (const m of active) {
      const c = String(m.mortgagee_class)
      classes.add((CLASSES as readonly string[]).includes(c) ? (c as (typeof CLASSES)[number]) : '其他')
    }
    return {
      mortgaged: active.length > 0,
      activeMortgages: active.length,
      mortgageeClasses: CLASSES.filter((c) => classes.has(c)),
      seized: unit?.status === '查封',
      cancelled: unit?.status === '注销',
    }
  },
})
