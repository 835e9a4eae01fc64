import { defineProduct, t } from 'indomain/sdk'

/**
 * 群租房智能识别 — dwellings that are likely let as group rentals (群租): household water and
 * electricity use far beyond what a family uses, or several rental filings running at once for
 * one dwelling. Released row by row to the housing department (市住建局), after two operators'
 * review, as the dwellings with the signals that raised each one — never a name or a person.
 *
 * The unit is the dwelling (standard address). `classify` reads one dwelling's own meters and
 * filings and returns its row when it looks like a group rental; rows leave only where the
 * operator approved row-level release to the consumer (with address codes, or pseudonyms).
 */

const FROM_PERIOD = '202501'
const AS_OF = '2025-12-31'
/** A year's household use that a family of five or six rarely reaches. */
const HIGH_WATER_M3 = 270
const HIGH_POWER_KWH = 5000
const SIGNALS = ['用水量远超家庭', '用电量远超家庭', '多份在租备案'] as const

export default defineProduct({
  id: 'group-rental-detection',
  version: '2.0.0',
  kind: 'dataset',
  title: '群租房智能识别',
  category: '公共治理',
  description: '面向住建部门的群租房线索：居民户年度用水、用电量远超家庭水平，或同一房屋同时存在多份在租备案的地址，以房屋标识和触发信号逐条输出，经人工审核后发布。',
  scenario: {
    purpose: '识别疑似群租房，支撑住房租赁安全管理与消防隐患排查（公共治理）',
    tables: {
      standard_address: { key: 'address_code', fields: { address_type: '仅扫描住宅' } },
      water_usage: { key: 'address_code', fields: { account_type: '仅居民户', period: '近十二个月', usage: '用水量' } },
      power_usage: { key: 'address_code', fields: { account_type: '仅居民户', period: '近十二个月', usage: '用电量' } },
      rental_registration: { key: 'address_code', fields: { end_on: '备案是否仍在租期内' } },
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
    const signals: (typeof SIGNALS)[number][] = []
    // both meters far above a family's use: one alone can be a large family or a home business
    if (year('water_usage') >= HIGH_WATER_M3 && year('power_usage') >= HIGH_POWER_KWH) signals.push('用水量远超家庭', '用电量远超家庭')
    if (dwelling.rows('rental_registration').filter((r) => r.end_on !== null && String(r.end_on) >= AS_OF).length >= 2) signals.push('多份在租备案')
    return signals.length > 0 ? { row: { signals } } : {}
  },
  run(ctx) {
    const { rows } = ctx.rows()
    return { scanned: ctx.units, flagged: rows.map((r) => ({ address: r.unit, signals: r.signals as (typeof SIGNALS)[number][] })) }
  },
})
