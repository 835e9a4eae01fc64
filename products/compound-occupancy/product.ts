import { defineProduct, t } from 'indomain/sdk'

/**
 * 小区入住分析 — the occupancy rate of each residential compound (小区): the share of its homes whose
 * water or electricity over the last six months shows somebody living there. For planning
 * (schools, clinics, bus lines) and for spotting compounds that stand largely empty. Compounds with
 * fewer than ten homes are suppressed, and the release checks verify it from the data.
 */

const FROM_PERIOD = '202507'
/** Six months of a lived-in home: more than this much water or electricity. */
const LIVED_IN_M3 = 6
const LIVED_IN_KWH = 150
const MIN_HOMES = 10

export default defineProduct({
  id: 'compound-occupancy',
  version: '1.0.0',
  kind: 'report',
  title: '小区入住分析',
  category: '公共治理',
  description: '按小区统计住宅入住率：以近六个月居民用水、用电判断房屋是否有人居住，住宅少于10套的小区不予发布。',
  scenario: {
    purpose: '掌握各小区实际入住情况，支撑学校、医疗、公交等公共服务配置与房地产市场监测（公共治理）',
    tables: {
      standard_address: { fields: { address_code: '关联房屋', district_code: '区县', compound: '小区', address_type: '仅统计住宅' } },
      water_usage: { fields: { address_code: '关联房屋', account_type: '仅居民户', period: '近六个月', usage: '用水量' } },
      power_usage: { fields: { address_code: '关联房屋', account_type: '仅居民户', period: '近六个月', usage: '用电量' } },
    },
  },
  queries: {
    homes: `
      WITH water AS (SELECT address_code, sum(usage) AS m3 FROM water_usage WHERE account_type = '居民' AND period >= '${FROM_PERIOD}' GROUP BY 1),
           power AS (SELECT address_code, sum(usage) AS kwh FROM power_usage WHERE account_type = '居民' AND period >= '${FROM_PERIOD}' GROUP BY 1)
      SELECT a.district_code, a.compound, count(*) AS homes,
             count(*) FILTER (WHERE coalesce(water.m3, 0) > ${LIVED_IN_M3} OR coalesce(power.kwh, 0) > ${LIVED_IN_KWH}) AS lived_in
      FROM standard_address a LEFT JOIN water USING (address_code) LEFT JOIN power USING (address_code)
      WHERE a.address_type = '住宅' AND a.compound IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
  },
  disclosure: {
    rows: 'compounds',
    table: 'standard_address',
    groupBy: ['district_code', 'compound'],
    keys: ['district', 'compound'],
    contributor: 'address_code',
    filter: { field: 'address_type', values: ['住宅'] },
  },
  input: t.object({}),
  output: t.object({
    compounds: t.array(
      t.object({
        district: t.string({ pattern: '^\\d{6}$' }),
        compound: t.string({ maxLength: 40 }),
        homes: t.integer({ minimum: MIN_HOMES }),
        livedIn: t.integer({ minimum: 0 }),
        occupancyRate: t.number({ minimum: 0, maximum: 1 }),
      }),
      { maxItems: 20_000 },
    ),
    suppressedCompounds: t.integer({ minimum: 0 }),
  }),
  run(ctx) {
    const compounds: { district: string; compound: string; homes: number; livedIn: number; occupancyRate: number }[] = []
    let suppressedCompounds = 0
    ctx.scan('homes', (chunk) => {
      const district = chunk.text('district_code')
      const compound = chunk.text('compound')
      const homes = chunk.number('homes')
      const livedIn = chunk.number('lived_in')
      for (let i = 0; i < chunk.length; i++) {
        if (homes[i]! < MIN_HOMES) {
          suppressedCompounds++
          continue
        }
        compounds.push({ district: district.value(i) ?? '', compound: compound.value(i) ?? '', homes: homes[i]!, livedIn: livedIn[i]!, occupancyRate: Math.round((livedIn[i]! / homes[i]!) * 1000) / 1000 })
      }
    })
    return { compounds, suppressedCompounds }
  },
})
