import { defineProduct, t } from 'indomain/sdk'

/**
 * 群租房智能识别 — dwellings that are likely let as group rentals (群租): household water and
 * electricity use far beyond what a family uses, or several rental filings running at once for
 * one dwelling. Released to the housing department (市住建局) as standard address codes with the
 * signals that raised each one, after two operators' review — never a name or a person.
 */

const FROM_PERIOD = '202501'
const AS_OF = '2025-12-31'
/** A year's household use that a family of five or six rarely reaches. */
const HIGH_WATER_M3 = 270
const HIGH_POWER_KWH = 5000
const SIGNALS = ['用水量远超家庭', '用电量远超家庭', '多份在租备案'] as const

export default defineProduct({
  id: 'group-rental-detection',
  version: '1.0.0',
  kind: 'dataset',
  title: '群租房智能识别',
  category: '公共治理',
  description: '面向住建部门的群租房线索：居民户年度用水、用电量远超家庭水平，或同一房屋同时存在多份在租备案的地址，以标准地址编码和触发信号输出，经人工审核后发布。',
  scenario: {
    purpose: '识别疑似群租房，支撑住房租赁安全管理与消防隐患排查（公共治理）',
    tables: {
      water_usage: { fields: { address_code: '按房屋汇总', account_type: '仅居民户', period: '近十二个月', usage: '用水量' } },
      power_usage: { fields: { address_code: '按房屋汇总', account_type: '仅居民户', period: '近十二个月', usage: '用电量' } },
      rental_registration: { fields: { address_code: '按房屋汇总在租备案', end_on: '备案是否仍在租期内' } },
    },
  },
  queries: {
    dwellings: `
      WITH water AS (SELECT address_code, sum(usage) AS m3 FROM water_usage WHERE account_type = '居民' AND period >= '${FROM_PERIOD}' GROUP BY 1),
           power AS (SELECT address_code, sum(usage) AS kwh FROM power_usage WHERE account_type = '居民' AND period >= '${FROM_PERIOD}' GROUP BY 1),
           filings AS (SELECT address_code, count(*) AS n FROM rental_registration WHERE end_on >= DATE '${AS_OF}' GROUP BY 1)
      SELECT coalesce(water.address_code, power.address_code) AS address_code, coalesce(water.m3, 0) AS m3, coalesce(power.kwh, 0) AS kwh, coalesce(filings.n, 0) AS filings
      FROM water FULL JOIN power USING (address_code) LEFT JOIN filings ON filings.address_code = coalesce(water.address_code, power.address_code)`,
  },
  input: t.object({}),
  output: t.object({
    scanned: t.integer({ minimum: 0 }),
    flagged: t.array(
      t.object({ address: t.string({ maxLength: 22, pattern: '^\\d{22}$' }), signals: t.array(t.enum(SIGNALS), { maxItems: SIGNALS.length }) }),
      { maxItems: 100_000 },
    ),
  }),
  run(ctx) {
    const flagged: { address: string; signals: (typeof SIGNALS)[number][] }[] = []
    let scanned = 0
    ctx.scan('dwellings', (chunk) => {
      const address = chunk.text('address_code')
      const m3 = chunk.number('m3')
      const kwh = chunk.number('kwh')
      const filings = chunk.number('filings')
      for (let i = 0; i < chunk.length; i++) {
        scanned++
        const signals: (typeof SIGNALS)[number][] = []
        // both meters far above a family's use: one alone can be a large family or a home business
        if (m3[i]! >= HIGH_WATER_M3 && kwh[i]! >= HIGH_POWER_KWH) signals.push('用水量远超家庭', '用电量远超家庭')
        if (filings[i]! >= 2) signals.push('多份在租备案')
        const code = address.value(i)
        if (signals.length > 0 && code !== null) flagged.push({ address: code, signals })
      }
    })
    return { scanned, flagged }
  },
})
