import { defineProduct, t } from 'indomain/sdk'

/**
 * 独居老人监测 — homes of elderly people living alone whose water use suddenly and lastingly drops:
 * a fall, an illness, a move to hospital. For the civil-affairs department's visits (民政部门上门
 * 探访). Rows carry the home (its address code, where the operator approved identifiers for this
 * public-interest use, or a pseudonym resolved through the operator), the district and the month
 * the drop began; never a name or a meter reading.
 *
 * The unit is the home of an elderly person (elderly_info by address): `classify` reads that
 * home's own water readings and returns its row when the drop shows.
 */

/**
 * A lasting drop: the months from it on average below DROP_MEAN × the home's usual month before it
 * (the lower median), none above DROP_MAX × it. The mean rather than every month, because after an
 * incident a carer or relative often keeps part of the use, unevenly. Chosen on the tuning cities only.
 */
const DROP_MEAN = 0.6
const DROP_MAX = 0.8
/** Months of steady use needed before a drop can be judged. */
const BASELINE_MONTHS = 2
/** A month this many times the home's median is a reading keyed in litres, not cubic metres. */
const LITRES = 50
/**
 * A quiet this deep (below DEEP × the usual month) that began in the data's last TRIP_MONTHS months
 * may be a trip of a fit person (one to four months away), not an incident, unless the person is very
 * old (an old-age allowance, 高龄津贴: people past eighty seldom travel for months). Chosen on the
 * tuning cities only.
 */
const DEEP = 0.25
const TRIP_MONTHS = 4
const OLD_AGE_ALLOWANCE = '高龄津贴'
const PERIOD = '^2025(0[1-9]|1[0-2])$'

export default defineProduct({
  id: 'elderly-alone-monitor',
  version: '3.0.0',
  kind: 'dataset',
  title: '独居老人监测',
  category: '公益事业',
  description: '面向民政部门的独居老人关爱线索：独居老人住所用水量骤降并持续低位的，输出其住所标识、区县及骤降起始月份，供上门探访，不输出姓名或读数。',
  scenario: {
    purpose: '及时发现独居老人异常情况（跌倒、疾病、住院等），支撑民政部门上门探访关爱（公益事业）',
    tables: {
      elderly_info: { key: 'address_code', fields: { district_code: '按区县派单', living_arrangement: '仅监测独居老人', subsidy: '是否领取高龄津贴：高龄老人少有外出数月，其住所年末骤降不按外出处理' } },
      water_usage: { key: 'address_code', fields: { account_type: '仅居民户', period: '月份', usage: '用水量' } },
    },
  },
  unit: 'elderly_info',
  rows: {
    fields: { district: { pattern: '^\\d{6}$', maxLength: 6 }, since: { pattern: PERIOD, maxLength: 6 } },
    quasi: ['district', 'since'],
  },
  input: t.object({}),
  output: t.object({
    watched: t.nullable(t.integer({ minimum: 0 })),
    flagged: t.array(t.object({ home: t.string({ pattern: '^(\\d{22}|p_[a-z]{20})$' }), district: t.string({ pattern: '^\\d{6}$' }), since: t.string({ pattern: PERIOD }) }), { maxItems: 100_000 }),
  }),
  classify(home) {
    const person = home.rows('elderly_info').find((r) => r.living_arrangement === '独居')
    if (person === undefined) return {}
    // the home's months in order
    const byMonth = new Map<string, number>()
    for (const r of home.rows('water_usage')) {
      if (r.account_type !== '居民' || r.period === null) continue
      byMonth.set(String(r.period), (byMonth.get(String(r.period)) ?? 0) + Number(r.usage ?? 0))
    }
    const periods = [...byMonth.keys()].sort()
    const read = periods.map((p) => byMonth.get(p)!)
    const median = [...read].sort((a, b) => a - b)[read.length >> 1] ?? 0
    const m3 = read.map((v) => (median > 0 && v > LITRES * median ? v / 1000 : v))
    // the first month from which the home stays well below its usual use
    for (let m = BASELINE_MONTHS; m < m3.length; m++) {
      const before = m3.slice(0, m).sort((a, b) => a - b)
      const usual = before[(before.length - 1) >> 1]!
      if (usual <= 0) break
      const after = m3.slice(m)
      const mean = after.reduce((a, b) => a + b, 0) / after.length
      if (!(mean < DROP_MEAN * usual && Math.max(...after) < DROP_MAX * usual)) continue
      if (mean < DEEP * usual && after.length <= TRIP_MONTHS && person.subsidy !== OLD_AGE_ALLOWANCE) return {}
      return { row: { district: String(person.district_code), since: periods[m]! } }
    }
    return {}
  },
  run(ctx) {
    const { rows } = ctx.rows()
    return { watched: ctx.units, flagged: rows.map((r) => ({ home: r.unit, district: String(r.district), since: String(r.since) })) }
  },
})
