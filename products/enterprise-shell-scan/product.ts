import { defineProduct, t } from 'indomain/sdk'

/**
 * 企业空壳扫描 — enterprises that look like shells: registered and formally active companies that
 * insure at most two people (a shell may buy one person's contribution record), whose premises use
 * next to no electricity and water in a year (or have no meter of their own), and that the market
 * regulator's own registers mark: currently on the list of abnormal operations, an annual report
 * with no employee or no tax paid, or no annual report at all. A small real business is as quiet on the meters; the
 * registers tell it apart. A missing tax credit rating is reported as a further signal. Released row
 * by row to the market regulator, after two operators' review, as pseudonyms of that regulator's own
 * (which it resolves through the operator) with the signals that raised each flag — never a name or code.
 *
 * The unit is the enterprise: `classify` reads one enterprise's own payroll, meters and tax record.
 * (A registration cluster — many enterprises at one address — is a fact about other enterprises,
 * which no unit's classification may see; it is left to the operator's follow-up.)
 */

/** The last twelve months the data covers. */
const FROM_PERIOD = '202501'
/** At most this many insured people in a year, below this many kWh and m³: idle (chosen on the tuning cities only). */
const MAX_STAFF = 2
const IDLE_KWH = 500
const IDLE_WATER = 20

const SIGNALS = ['参保职工极少', '用电近零', '用水近零', '列入经营异常名录', '年报从业人数为零', '年报纳税额为零', '未报送年报', '无纳税信用记录'] as const

export default defineProduct({
  id: 'enterprise-shell-scan',
  version: '3.0.0',
  kind: 'dataset',
  title: '企业空壳扫描',
  category: '公共治理',
  description: '面向市场监管部门的空壳企业线索：存续但参保职工极少、用电用水近零，且列入经营异常名录、年报从业人数或纳税额为零、或未报送年报的公司，以假名化标识和触发信号逐条输出，经人工审核后发布。',
  scenario: {
    purpose: '识别疑似空壳企业，支撑市场主体信用监管与“僵尸企业”清理（公共治理）',
    tables: {
      enterprise_basic: { key: 'uscc', fields: { enterprise_type: '仅扫描公司制企业', status: '仅扫描存续/在业企业' } },
      social_insurance_payment: { key: 'employer_uscc', fields: { resident_id: '统计参保职工人数（假名）', period: '近十二个月' } },
      power_usage: { key: 'holder_uscc', fields: { period: '近十二个月', usage: '用电量' } },
      water_usage: { key: 'holder_uscc', fields: { period: '近十二个月', usage: '用水量' } },
      tax_credit_rating: { key: 'taxpayer_uscc', fields: { year: '是否有纳税信用记录' } },
      enterprise_annual_report: { key: 'uscc', fields: { report_year: '最近一期年报', employees: '年报从业人数是否为零', tax_paid: '年报纳税额是否为零' } },
      business_abnormal_list: { key: 'uscc', fields: { status: '是否仍列入经营异常名录' } },
    },
  },
  unit: 'enterprise_basic',
  rows: { fields: { signals: { codes: SIGNALS } }, quasi: [] },
  input: t.object({}),
  output: t.object({
    scanned: t.nullable(t.integer({ minimum: 0 })),
    flagged: t.array(t.object({ enterprise: t.string({ maxLength: 64, pattern: '^p_[a-z]+$' }), signals: t.array(t.enum(SIGNALS), { maxItems: SIGNALS.length }) }), { maxItems: 100_000 }),
  }),
  classify(company) {
    const basic = company.rows('enterprise_basic')[0]
    if (basic === undefined || !['存续', '在业'].includes(String(basic.status)) || !['有限责任公司', '股份有限公司'].includes(String(basic.enterprise_type))) return {}
    const recent = (table: string) => company.rows(table).filter((r) => String(r.period) >= FROM_PERIOD)
    const staff = new Set(recent('social_insurance_payment').map((r) => r.resident_id)).size
    const meters = company.rows('power_usage').length + company.rows('water_usage').length
    const kwh = recent('power_usage').reduce((a, r) => a + Number(r.usage ?? 0), 0)
    const m3 = recent('water_usage').reduce((a, r) => a + Number(r.usage ?? 0), 0)
    // idle: (nearly) nobody on the payroll, and premises that use neither power nor water, or none of its own
    if (staff > MAX_STAFF || (meters > 0 && (kwh >= IDLE_KWH || m3 >= IDLE_WATER))) return {}
    // and the regulator's registers say it too: a small real business files its reports and can be reached
    const reports = [...company.rows('enterprise_annual_report')].sort((a, b) => Number(b.report_year) - Number(a.report_year))
    const listed = company.rows('business_abnormal_list').some((r) => r.status === '列入')
    const registers: (typeof SIGNALS)[number][] = []
    if (listed) registers.push('列入经营异常名录')
    if (reports.length > 0 && reports[0]!.employees === 0) registers.push('年报从业人数为零')
    if (reports.length > 0 && reports[0]!.tax_paid === 0) registers.push('年报纳税额为零')
    if (reports.length === 0) registers.push('未报送年报')
    if (registers.length === 0) return {}
    const signals: (typeof SIGNALS)[number][] = ['参保职工极少', '用电近零', '用水近零', ...registers]
    if (company.rows('tax_credit_rating').length === 0) signals.push('无纳税信用记录')
    return { row: { signals } }
  },
  run(ctx) {
    const { rows } = ctx.rows()
    return { scanned: ctx.units, flagged: rows.map((r) => ({ enterprise: r.unit, signals: r.signals as (typeof SIGNALS)[number][] })) }
  },
})
