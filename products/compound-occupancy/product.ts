import { defineProduct, t } from 'indomain/sdk'

/**
 * 小区入住分析 — the occupancy rate of each residential compound (小区): the share of its homes whose
 * water and electricity over the year show somebody living there — in a typical month, not now and
 * then. For planning (schools, clinics, bus lines) and for spotting compounds that stand largely empty.
 *
 * The unit is the home (standard address). `classify` decides, from one home's own meter readings,
 * whether it is lived in; the runtime counts homes and lived-in homes per compound, withholds
 * compounds with fewer than ten homes (and any figure a few homes dominate), and hands the rest to
 * `run`, which computes the rates.
 */

const FROM_PERIOD = '202501'
/**
 * A lived-in home's typical month: at least this much electricity and water (the median of its
 * months, which an owner's occasional visit, a missed reading carried into the next month or a
 * reading keyed in litres does not move). Chosen on the tuning cities only.
 */
const LIVED_IN_KWH_PER_MONTH = 30
const LIVED_IN_M3_PER_MONTH = 1

export default defineProduct({
  id: 'compound-occupancy',
  version: '3.0.0',
  kind: 'report',
  title: '小区入住分析',
  category: '公共治理',
  description: '按小区统计住宅入住率：以近十二个月居民用水、用电的月度中位数判断房屋是否有人常住，住宅少于10套的小区不予发布。',
  scenario: {
    purpose: '掌握各小区实际入住情况，支撑学校、医疗、公交等公共服务配置与房地产市场监测（公共治理）',
    tables: {
      standard_address: { key: 'address_code', fields: { district_code: '区县', compound: '小区', address_type: '仅统计住宅' } },
      water_usage: { key: 'address_code', fields: { account_type: '仅居民户', period: '近十二个月', usage: '用水量' } },
      power_usage: { key: 'address_code', fields: { account_type: '仅居民户', period: '近十二个月', usage: '用电量' } },
    },
  },
  unit: 'standard_address',
  aggregates: {
    compounds: {
      by: { district: { pattern: '^\\d{6}$', maxLength: 6 }, compound: { pattern: '^.{1,40}$', maxLength: 40 } },
      measures: { livedIn: { sum: { min: 0, max: 1 } } },
    },
  },
  input: t.object({}),
  output: t.object({
    compounds: t.array(
      t.object({
        district: t.string({ pattern: '^\\d{6}$' }),
        compound: t.string({ maxLength: 40 }),
        homes: t.integer({ minimum: 0 }),
        livedIn: t.integer({ minimum: 0 }),
        occupancyRate: t.number({ minimum: 0, maximum: 1 }),
      }),
      { maxItems: 20_000 },
    ),
    suppressedCompounds: t.integer({ minimum: 0 }),
  }),
  classify(home) {
    const address = home.rows('standard_address')[0]
    if (address === undefined || address.address_type !== '住宅' || address.compound === null) return {}
    // the median month of each meter: a home is lived in when both show regular use
    const typicalMonth = (table: string) => {
      const months = new Map<string, number>()
      for (const r of home.rows(table)) {
        if (r.account_type !== '居民' || String(r.period) < FROM_PERIOD) continue
        months.set(String(r.period), (months.get(String(r.period)) ?? 0) + Number(r.usage ?? 0))
      }
      const sorted = [...months.values()].sort((a, b) => a - b)
      return sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? sorted[sorted.length >> 1]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
    }
    const livedIn = typicalMonth('power_usage') >= LIVED_IN_KWH_PER_MONTH && typicalMonth('water_usage') >= LIVED_IN_M3_PER_MONTH ? 1 : 0
    return { aggregates: { compounds: { by: { district: String(address.district_code), compound: String(address.compound) }, values: { livedIn } } } }
  },
  run(ctx) {
    const { cells, suppressed } = ctx.aggregate('compounds')
    const compounds: { district: string; compound: string; homes: number; livedIn: number; occupancyRate: number }[] = []
    let withheld = suppressed
    for (const c of cells) {
      const livedIn = c.values.livedIn
      // a compound whose lived-in figure the rules withheld is not published at all
      if (livedIn === undefined || c.count === 0) {
        withheld++
        continue
      }
      compounds.push({ district: c.by.district!, compound: c.by.compound!, homes: c.count, livedIn, occupancyRate: Math.round((livedIn / c.count) * 1000) / 1000 })
    }
    compounds.sort((a, b) => (a.district + a.compound < b.district + b.compound ? -1 : 1))
    return { compounds, suppressedCompounds: withheld }
  },
})
