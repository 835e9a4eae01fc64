import { defineProduct, t } from 'indomain/sdk'

/**
 * 群租房智能识别 — dwellings that are likely let as group rentals (群租): household water and
 * electricity use far beyond what the people registered there (户籍) use. A large family uses as
 * much as a group rental, but its members are registered at the address; the tenants of a group
 * rental are not. Several rental filings running at once are reported beside. Released row by row
 * to the housing department (市住建局), after two operators' review, as the dwellings with the
 * signals that raised each one — never a name or a person.
 *
 * The unit is the dwelling (standard address). `classify` reads one dwelling's own meters and
 * filings and returns its row when it looks like a group rental; rows leave only where the
 * operator approved row-level release to the consumer (with address codes, or pseudonyms).
 */

const FROM_PERIOD = '202501'
const AS_OF = '2025-12-31'
/**
 * A year's household use per registered resident (or for the dwelling, where nobody is
 * registered) that one person rarely reaches; chosen on the tuning seeds only.
 */
const HIGH_WATER_M3_PER_RESIDENT = 120
const HIGH_POWER_KWH_PER_RESIDENT = 2500
const SIGNALS = ['用水量远超登记人口', '用电量远超登记人口', '多份在租备案'] as const

export default defineProduct({
  id: 'group-rental-detection',
  version: '3.0.0',
  kind: 'dataset',
  title: '群租房智能识别',
  category: '公共治理',
  description: '面向住建部门的群租房线索：居民户年度用水、用电量按在册户籍人口计远超常人水平的房屋（同时存在多份在租备案的一并提示），以房屋标识和触发信号逐条输出，经人工审核后发布。',
  scenario: {
    purpose: '识别疑似群租房，支撑住房租赁安全管理与消防隐患排查（公共治理）',
    tables: {
      standard_address: { key: 'address_code', fields: { address_type: '仅扫描住宅' } },
      water_usage: { key: 'address_code', fields: { account_type: '仅居民户', period: '近十二个月', usage: '用水量' } },
      power_usage: { key: 'address_code', fields: { account_type: '仅居民户', period: '近十二个月', usage: '用电量' } },
      rental_registration: { key: 'address_code', fields: { end_on: '备案是否仍在租期内' } },
      household_registration: { key: 'address_code', fields: { status: '统计在册户籍人口（人均用量的分母），不输出任何人员信息' } },
    },
  },
  unit: 'standard_address',
  rows: { fields: { signals: { codes: SIGNALS } }, quasi: [] },
  input: t.object({}),
  output: t.object({
    scanned: t.nullable(t.integer({ minimum: 0 })),
    flagged: t.array(t.object({ address: t.string({ maxLength: 22, pattern: '^(\\d{22}|p_[a-z]{20})$' }), signals: t.array(t.enum(SIGNALS), { maxItems: SIGNALS.length }) }), { maxItems: 100_000 }),
  }),
  classify(dwelling) {
    const year = (table: string) =>
      dwelling.rows(table).reduce((total, r) => (r.account_type === '居民' && String(r.period) >= FROM_PERIOD ? total + Number(r.usage ?? 0) : total), 0)
    // a large family's use is spread over its registered members; a group rental's tenants are not registered
    const residents = Math.max(1, dwelling.rows('household_registration').filter((r) => r.status === '正常').length)
    // both meters far above what the registered residents use: one alone can be a home business
    if (year('water_usage') / residents < HIGH_WATER_M3_PER_RESIDENT || year('power_usage') / residents < HIGH_POWER_KWH_PER_RESIDENT) return {}
    const signals: (typeof SIGNALS)[number][] = ['用水量远超登记人口', '用电量远超登记人口']
    if (dwelling.rows('rental_registration').filter((r) => r.end_on !== null && String(r.end_on) >= AS_OF).length >= 2) signals.push('多份在租备案')
    return { row: { signals } }
  },
  run(ctx) {
    const { rows } = ctx.rows()
    return { scanned: ctx.units, flagged: rows.map((r) => ({ address: r.unit, signals: r.signals as (typeof SIGNALS)[number][] })) }
  },
})
