import { defineProduct, t, type EntityContext, type Row } from 'indomain/sdk'

/**
 * 贷款额度估算（企业发展贷） — a bank's quick estimate of how much working capital it could lend an
 * enterprise, by the rule of thumb of China's working-capital loan guidance (流动资金贷款): the
 * revenue less the profit, turned over four times a year, at most half the enterprise's total
 * assets, halved for a firm that lost money, nothing for a listed dishonest debtor. The figures come
 * from the enterprise's latest annual reports: profit, tax paid, total assets and the revenue band;
 * the revenue itself is read back from the tax paid of the latest three (1% of revenue in a year of
 * loss, about 3.45% in a profitable one, on the tuning cities) within the band. An enterprise without a
 * report is estimated from its insured headcount. Out go a rounded amount, its band and the reasons
 * — never a figure of a report. People (房贷, 个人创业贷) are estimated by `loan-quota-estimate`.
 */

const KINDS = ['企业发展贷'] as const
const BANDS = ['0', '10万以下', '10-50万', '50-100万', '100-500万', '500-1000万', '1000-5000万', '5000万以上'] as const
const BAND_FLOORS = [0.5, 10, 50, 100, 500, 1000, 5000] as const
const REASONS = ['按纳税额推算营业收入', '按营业收入区间估算', '年报金额以元填报已折算', '无年报按参保人数估算', '亏损额度减半', '以资产总额五成为限', '失信被执行人', '登记状态异常'] as const
type Reason = (typeof REASONS)[number]
const MAX_WAN = 50_000

/** Revenue bands as the catalog masks the annual report's revenue (万元). */
const REVENUE_BANDS: ReadonlyMap<unknown, readonly [number, number]> = new Map([
  ['<10', [0.5, 10]], ['10-50', [10, 50]], ['50-100', [50, 100]], ['100-500', [100, 500]], ['500-1000', [500, 1000]], ['1000-5000', [1000, 5000]], ['>=5000', [5000, 20_000]],
])
/** Tax paid as a share of revenue (geometric means on the tuning cities): in a year of loss, in a profitable one, and in a year whose report states no profit. */
const TAX_SHARE_LOSS = 0.01
const TAX_SHARE_PROFIT = 0.0345
const TAX_SHARE_UNKNOWN = 0.024
/** Total assets move by about 0.6 of the revenue's move from year to year (tuning cities). */
const ASSETS_PER_REVENUE_GROWTH = 0.6
/** An enterprise's assets, 万元, where its report does not state them: revenue plus 0.4 × registered capital (tuning cities). */
const CAPITAL_IN_ASSETS = 0.4
/** The margin assumed where a report states no profit (individual businesses). */
const ASSUMED_MARGIN = 0.03
/** Revenue per insured person, 万元, for an enterprise without a recent report (the tuning cities' median). */
const REVENUE_PER_INSURED = 73
/** Per person, a tax above this many 万元 or assets above this many: the report was keyed in 元, not 万元. */
const YUAN_TAX_PER_PERSON = 200
const YUAN_ASSETS_PER_PERSON = 20_000
/** The latest reports whose tax paid implies a revenue: the share drawn anew each year averages out over a few. */
const IMPLYING_REPORTS = 3
/** The rule of thumb: revenue less profit turns over this often a year; at most this share of assets; a loss halves it. */
const TURNOVER = 4
const ASSET_SHARE = 0.5
const LOSS_FACTOR = 0.5

function numberOf(row: Row, field: string): number | null {
  const v = row[field]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

/** Each figure from the latest report that states it; and the revenue the latest reports' tax paid implies, brought to the latest year. */
function reportFigures(ctx: EntityContext) {
  const reports = [...ctx.rows('enterprise_annual_report')].sort((a, b) => Number(b.report_year) - Number(a.report_year))
  const latest = (field: string): number | null => reports.map((r) => numberOf(r, field)).find((v) => v !== null) ?? null
  const band = reports.map((r) => REVENUE_BANDS.get(r.revenue)).find((b) => b !== undefined)
  // the tax paid is 1% of a year's revenue after a loss, about 3.45% after a profit (a share drawn
  // anew each year, so several years say more than one); a year's revenue is brought to the latest
  // by the growth of the assets since
  const assets = reports[0] === undefined ? null : numberOf(reports[0], 'total_assets')
  const implied: number[] = []
  for (const r of reports) {
    const tax = numberOf(r, 'tax_paid')
    const profit = numberOf(r, 'profit')
    if (tax === null || tax <= 0) continue
    const then = numberOf(r, 'total_assets')
    const comparable = assets !== null && then !== null && assets > 0 && then > 0
    // an earlier year counts only where the assets say how the enterprise grew since
    if (implied.length > 0 && !comparable) continue
    const growth = comparable ? Math.log(assets / then) / ASSETS_PER_REVENUE_GROWTH : 0
    implied.push(Math.log(tax / (profit === null ? TAX_SHARE_UNKNOWN : profit <= 0 ? TAX_SHARE_LOSS : TAX_SHARE_PROFIT)) + growth)
    if (implied.length === IMPLYING_REPORTS) break
  }
  const impliedRevenue = implied.length === 0 ? null : Math.exp(implied.reduce((a, v) => a + v, 0) / implied.length)
  return { reports: reports.length, profit: latest('profit'), tax: latest('tax_paid'), assets: latest('total_assets'), employees: latest('employees'), band, impliedRevenue }
}

/** People insured by the enterprise in the last month: a large employer has thousands of person-months, read as columns. */
function insuredNow(ctx: EntityContext): number {
  const payments = ctx.columns('social_insurance_payment')
  const period = payments.text('period')
  const person = payments.text('resident_id')
  const insured = new Set<string>()
  for (let i = 0; i < payments.length; i++) if (period.value(i) === ctx.asOf.slice(0, 4) + ctx.asOf.slice(5, 7)) insured.add(person.value(i) ?? '')
  return insured.size
}

type Estimate = { readonly yuan: number; readonly reasons: readonly Reason[] }

function estimate(ctx: EntityContext): Estimate {
  const basic = ctx.rows('enterprise_basic')[0]
  if (basic === undefined || !['存续', '在业'].includes(String(basic.status))) return { yuan: 0, reasons: ['登记状态异常'] }
  if (ctx.rows('dishonest_debtor').some((r) => r.removed_on === null)) return { yuan: 0, reasons: ['失信被执行人'] }
  const capital = numberOf(basic, 'registered_capital') ?? 0
  const figures = reportFigures(ctx)
  const insured = insuredNow(ctx)
  const reasons: Reason[] = []
  if (figures.reports === 0) {
    // an individual business's owner works there too; a company that insures nobody and reports nothing trades little
    const revenue = REVENUE_PER_INSURED * (insured > 0 ? insured : basic.enterprise_type === '个体工商户' ? 1 : 0)
    return { yuan: rule(revenue, ASSUMED_MARGIN * revenue, revenue + CAPITAL_IN_ASSETS * capital, reasons) * 10_000, reasons: ['无年报按参保人数估算', ...reasons] }
  }
  // a clerk who keyed 元 for 万元 did so in every report: figures far beyond what its people could earn
  const people = Math.max(figures.employees ?? 0, insured) + 1
  const inYuan = (figures.tax ?? 0) / people > YUAN_TAX_PER_PERSON || (figures.assets ?? 0) / people > YUAN_ASSETS_PER_PERSON
  const scale = inYuan ? 1 / 10_000 : 1
  if (inYuan) reasons.push('年报金额以元填报已折算')
  const profit = figures.profit === null ? null : figures.profit * scale
  const band = inYuan ? undefined : figures.band
  let revenue: number
  if (figures.impliedRevenue !== null) {
    revenue = figures.impliedRevenue * scale
    reasons.push('按纳税额推算营业收入')
  } else if (band !== undefined) {
    revenue = Math.sqrt(band[0] * band[1])
    reasons.push('按营业收入区间估算')
  } else {
    revenue = figures.assets === null ? 0 : Math.max(0, figures.assets * scale - CAPITAL_IN_ASSETS * capital)
  }
  if (band !== undefined) revenue = Math.min(band[1], Math.max(band[0], revenue))
  const assets = figures.assets === null ? revenue + CAPITAL_IN_ASSETS * capital : figures.assets * scale
  return { yuan: rule(revenue, profit ?? ASSUMED_MARGIN * revenue, assets, reasons) * 10_000, reasons }
}

/** The rule of thumb, 万元: (revenue − profit) / 4, at most half the assets, halved after a loss. */
function rule(revenue: number, profit: number, assets: number, reasons: Reason[]): number {
  const need = Math.max(0, revenue - Math.max(0, profit)) / TURNOVER
  const cap = ASSET_SHARE * assets
  if (cap < need) reasons.push('以资产总额五成为限')
  if (profit < 0) reasons.push('亏损额度减半')
  return Math.min(need, cap) * (profit < 0 ? LOSS_FACTOR : 1)
}

/** 万元 to two significant figures (whole 万元 at least), as a quick estimate is said. */
function roundWan(yuan: number): number {
  const wan = yuan / 10_000
  if (wan < 0.5) return 0
  const step = Math.max(1, 10 ** (Math.floor(Math.log10(wan)) - 1))
  return Math.min(MAX_WAN, Math.round(wan / step) * step)
}

export default defineProduct({
  id: 'loan-quota-estimate-enterprise',
  version: '1.0.0',
  kind: 'api',
  title: '贷款额度估算（企业发展贷）',
  category: '产业发展',
  description:
    '为银行快速估算企业发展贷（流动资金贷款）可贷额度：依据企业近三年年报的利润、纳税额、资产总额和营业收入区间，按银行经验规则（营业收入扣除利润后按年周转四次测算营运资金需求，不超过资产总额五成，亏损减半，失信被执行人不予估算）估算，输出取整额度、区间和原因码，不输出年报数字。',
  entityKey: 'uscc',
  scenario: {
    purpose: '银行经企业授权，对企业发展贷（流动资金贷款）申请快速估算可贷额度',
    tables: {
      enterprise_basic: { key: 'uscc', fields: { status: '是否仍在经营', enterprise_type: '个体工商户无年报时按业主一人估算', registered_capital: '年报未列资产时估算资产' } },
      enterprise_annual_report: {
        key: 'uscc',
        fields: {
          report_year: '取近三年年报',
          revenue: '营业收入区间（仅用区间）',
          profit: '利润（扣除后测算营运资金，亏损减半；不输出）',
          tax_paid: '纳税额，据以推算营业收入（不输出）',
          total_assets: '资产总额五成为上限（不输出）',
          employees: '识别以元误填的年报',
        },
      },
      social_insurance_payment: { key: 'employer_uscc', fields: { resident_id: '最近一月参保人数（假名，不输出）', period: '最近一月' } },
      dishonest_debtor: { key: 'debtor_uscc', fields: { removed_on: '是否仍在失信名单' } },
    },
  },
  input: t.object({ kind: t.enum(KINDS), uscc: t.uscc() }),
  output: t.object({
    kind: t.enum(KINDS),
    estimateWan: t.integer({ minimum: 0, maximum: MAX_WAN }),
    band: t.enum(BANDS),
    reasons: t.array(t.enum(REASONS), { maxItems: 4 }),
    asOf: t.string({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  }),
  run(ctx, input) {
    const { yuan, reasons } = estimate(ctx)
    const estimateWan = roundWan(yuan)
    return { kind: input.kind, estimateWan, band: BANDS[BAND_FLOORS.filter((floor) => estimateWan >= floor).length]!, reasons: reasons.slice(0, 4), asOf: ctx.asOf }
  },
})
