import { defineProduct, t } from 'indomain/sdk'

/**
 * 企业空壳扫描 — enterprises that look like shells: registered and formally active companies with no
 * insured employee in a year and premises that use next to no electricity or water (or none of
 * their own); a registration cluster (集中登记地) or a missing tax credit rating are reported as
 * further signals. Released to the market
 * regulator as pseudonymous flags (the scenario's keyed pseudonyms, which the regulator
 * resolves through the operator) with the signals that raised each flag — never a name or code.
 */

/** The last twelve months the data covers. */
const FROM_PERIOD = '202501'
/** Below this many kWh and m³ in a year, premises are idle. */
const IDLE_KWH = 120
const IDLE_WATER = 6
/** An address shared by at least this many enterprises is a registration cluster. */
const CLUSTER = 4

const SIGNALS = ['无参保职工', '用电近零', '用水近零', '集中登记地', '无纳税信用记录'] as const

export default defineProduct({
  id: 'enterprise-shell-scan',
  version: '1.0.0',
  kind: 'dataset',
  title: '企业空壳扫描',
  category: '公共治理',
  description:
    '面向市场监管部门的空壳企业线索：存续但无参保职工、用电用水近零、集中登记或无纳税信用记录的公司，以假名化标识和触发信号输出，经人工审核后发布。',
  scenario: {
    purpose: '识别疑似空壳企业，支撑市场主体信用监管与“僵尸企业”清理（公共治理）',
    tables: {
      enterprise_basic: {
        fields: { uscc: '企业假名化标识与关联键', enterprise_type: '仅扫描公司制企业', status: '仅扫描存续/在业企业', address_code: '识别集中登记地' },
      },
      social_insurance_payment: { fields: { employer_uscc: '关联参保单位', resident_id: '统计参保职工人数（假名）', period: '近十二个月' } },
      power_usage: { fields: { holder_uscc: '关联用电户', period: '近十二个月', usage: '用电量' } },
      water_usage: { fields: { holder_uscc: '关联用水户', period: '近十二个月', usage: '用水量' } },
      tax_credit_rating: { fields: { taxpayer_uscc: '是否有纳税信用记录' } },
    },
  },
  queries: {
    profile: `
      WITH staff AS (SELECT employer_uscc AS uscc, count(DISTINCT resident_id) AS n FROM social_insurance_payment WHERE period >= '${FROM_PERIOD}' GROUP BY 1),
           power AS (SELECT holder_uscc AS uscc, sum(usage) AS kwh FROM power_usage WHERE period >= '${FROM_PERIOD}' AND holder_uscc IS NOT NULL GROUP BY 1),
           water AS (SELECT holder_uscc AS uscc, sum(usage) AS m3 FROM water_usage WHERE period >= '${FROM_PERIOD}' AND holder_uscc IS NOT NULL GROUP BY 1),
           rated AS (SELECT DISTINCT taxpayer_uscc AS uscc FROM tax_credit_rating),
           cluster AS (SELECT address_code, count(*) AS n FROM enterprise_basic GROUP BY 1)
      SELECT e.uscc, coalesce(staff.n, 0) AS staff, coalesce(power.kwh, 0) AS kwh, coalesce(water.m3, 0) AS m3,
             coalesce(cluster.n, 1) AS co_registered, CASE WHEN rated.uscc IS NULL THEN 0 ELSE 1 END AS rated
      FROM enterprise_basic e
      LEFT JOIN staff ON staff.uscc = e.uscc LEFT JOIN power ON power.uscc = e.uscc LEFT JOIN water ON water.uscc = e.uscc
      LEFT JOIN rated ON rated.uscc = e.uscc LEFT JOIN cluster ON cluster.address_code = e.address_code
      WHERE e.status IN ('存续', '在业') AND e.enterprise_type IN ('有限责任公司', '股份有限公司')`,
  },
  input: t.object({}),
  output: t.object({
    scanned: t.integer({ minimum: 0 }),
    flagged: t.array(
      t.object({
        enterprise: t.string({ maxLength: 64, pattern: '^p_[a-z]+$' }),
        signals: t.array(t.enum(SIGNALS), { maxItems: SIGNALS.length }),
      }),
      { maxItems: 100_000 },
    ),
  }),
  run(ctx) {
    const flagged: { enterprise: string; signals: (typeof SIGNALS)[number][] }[] = []
    let scanned = 0
    ctx.scan('profile', (chunk) => {
      const uscc = chunk.text('uscc')
      const staff = chunk.number('staff')
      const kwh = chunk.number('kwh')
      const m3 = chunk.number('m3')
      const coRegistered = chunk.number('co_registered')
      const rated = chunk.number('rated')
      for (let i = 0; i < chunk.length; i++) {
        scanned++
        // a shell has nobody on the payroll and premises that use neither power nor water (or has
        // no premises of its own at all); a registration cluster or a missing tax record add weight
        if (staff[i]! > 0 || kwh[i]! >= IDLE_KWH || m3[i]! >= IDLE_WATER) continue
        const signals: (typeof SIGNALS)[number][] = ['无参保职工', '用电近零', '用水近零']
        if (coRegistered[i]! >= CLUSTER) signals.push('集中登记地')
        if (rated[i]! === 0) signals.push('无纳税信用记录')
        const id = uscc.value(i)
        if (id !== null) flagged.push({ enterprise: id, signals })
      }
    })
    return { scanned, flagged }
  },
})
