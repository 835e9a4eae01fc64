import { defineProduct, t } from 'indomain/sdk'

/**
 * 独居老人监测 — elderly people living alone whose water use suddenly and lastingly drops: a fall, an
 * illness, a move to hospital. For the civil-affairs department's visits (民政部门上门探访). Flags
 * carry the person's pseudonym (resolved through the operator), the district and the month the
 * drop began; never a name, an address or a meter reading.
 */

const DROP = 0.45
/** Months of steady use needed before a drop can be judged. */
const BASELINE_MONTHS = 2
const PERIOD = '^2025(0[1-9]|1[0-2])$'

export default defineProduct({
  id: 'elderly-alone-monitor',
  version: '1.0.0',
  kind: 'dataset',
  title: '独居老人监测',
  category: '公益事业',
  description: '面向民政部门的独居老人关爱线索：独居老人住所用水量骤降并持续低位的，输出其假名化标识、区县及骤降起始月份，供上门探访，不输出姓名、地址或读数。',
  scenario: {
    purpose: '及时发现独居老人异常情况（跌倒、疾病、住院等），支撑民政部门上门探访关爱（公益事业）',
    tables: {
      elderly_info: {
        fields: { resident_id: '老人假名化标识（供民政部门经运营机构核实）', address_code: '关联住所用水（与用水表按同一假名关联）', district_code: '按区县派单', living_arrangement: '仅监测独居老人' },
      },
      water_usage: {
        fields: { address_code: '关联老人住所（与老人信息按同一假名关联）', account_type: '仅居民户', period: '月份', usage: '用水量' },
        // the two address codes must carry the same keyed pseudonym, or they cannot be joined
        masks: { address_code: 'pseudonym' },
      },
    },
  },
  queries: {
    monthly: `
      SELECT e.resident_id, e.district_code, w.period, sum(w.usage) AS m3
      FROM elderly_info e JOIN water_usage w ON w.address_code = e.address_code
      WHERE e.living_arrangement = '独居' AND w.account_type = '居民'
      GROUP BY 1, 2, 3 ORDER BY 1, 3`,
  },
  input: t.object({}),
  output: t.object({
    watched: t.integer({ minimum: 0 }),
    flagged: t.array(t.object({ person: t.string({ pattern: '^p_[a-z]+$' }), district: t.string({ pattern: '^\\d{6}$' }), since: t.string({ pattern: PERIOD }) }), { maxItems: 100_000 }),
  }),
  run(ctx) {
    // each person's months in order (the query sorts by person, then period)
    const series = new Map<string, { district: string; periods: string[]; m3: number[] }>()
    ctx.scan('monthly', (chunk) => {
      const person = chunk.text('resident_id')
      const district = chunk.text('district_code')
      const period = chunk.text('period')
      const m3 = chunk.number('m3')
      for (let i = 0; i < chunk.length; i++) {
        const id = person.value(i)
        if (id === null) continue
        const s = series.get(id) ?? { district: district.value(i) ?? '', periods: [], m3: [] }
        s.periods.push(period.value(i) ?? '')
        s.m3.push(m3[i]!)
        series.set(id, s)
      }
    })
    const flagged: { person: string; district: string; since: string }[] = []
    for (const [person, s] of series) {
      // the first month from which every month reads below DROP × the median of the months before it
      for (let m = BASELINE_MONTHS; m < s.m3.length; m++) {
        const before = s.m3.slice(0, m).sort((a, b) => a - b)
        const median = before[before.length >> 1]!
        if (median <= 0) break
        if (s.m3.slice(m).every((v) => v < DROP * median)) {
          flagged.push({ person, district: s.district, since: s.periods[m]! })
          break
        }
      }
    }
    return { watched: series.size, flagged }
  },
})
