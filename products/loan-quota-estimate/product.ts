import { defineProduct, t } from 'indomain/sdk'
import { readPersonSignals, type PersonSignals } from './person-signals.ts'
import { estimateIncome, mortgageQuota, startupQuota, type IncomeEstimate } from './quota-model.ts'

/**
 * 贷款额度估算（个人） — with the person's consent, a bank's quick estimate of how much it could lend
 * them: a mortgage (房贷) or a start-up loan (个人创业贷). The estimate applies the bank's rule of
 * thumb (a share of monthly income for repayments, less what the person already repays on secured
 * debts, over the loan's term, within its cap) to incomes estimated from public records: the
 * contribution base band of their pension insurance, their housing fund, how the medical insurance
 * knows them, their household position, cars and homes. Out go a rounded amount, its band and the
 * reasons — never an income, a base, a record or an amount of a record. Enterprises (企业发展贷)
 * are estimated by the sibling product `loan-quota-estimate-enterprise`: a product about a person
 * takes a resident ID, whose call needs that person's consent.
 */

const KINDS = ['房贷', '个人创业贷'] as const
const BANDS = ['0', '5万以下', '5-10万', '10-20万', '20-30万', '30-50万', '50-100万', '100-200万', '200万以上'] as const
const BAND_FLOORS = [0.5, 5, 10, 20, 30, 50, 100, 200] as const
const REASONS = ['按社保缴费基数估算收入', '无在职缴费记录', '灵活就业', '退休人员', '低保或监测对象', '已婚按家庭收入估算', '已有房贷月供', '以购房合同价七成为限', '达到创业贷上限', '超出贷款年龄', '失信被执行人'] as const
type Reason = (typeof REASONS)[number]
/** The most an answer says, 万元: below 1,000 (a four-digit figure could repeat a record's). */
const MAX_WAN = 990

/** 万元, rounded as a quick estimate is said: to 1万 below 20万, to 5万 below 200万, to 10万 above. */
function roundWan(yuan: number): number {
  const wan = yuan / 10_000
  const step = wan < 20 ? 1 : wan < 200 ? 5 : 10
  return Math.min(MAX_WAN, Math.round(wan / step) * step)
}

function bandOf(wan: number): (typeof BANDS)[number] {
  return BANDS[BAND_FLOORS.filter((floor) => wan >= floor).length]!
}

function reasonsFor(kind: (typeof KINDS)[number], s: PersonSignals, income: IncomeEstimate, yuan: number): Reason[] {
  if (s.dishonest) return ['失信被执行人']
  if (yuan === 0 && (kind === '房贷' ? s.age >= 65 : s.age >= 60)) return ['超出贷款年龄']
  const reasons: Reason[] = [s.employedBase !== null ? '按社保缴费基数估算收入' : '无在职缴费记录']
  if (s.medicalCategory === '灵活就业人员') reasons.push('灵活就业')
  if (s.medicalCategory === '退休人员') reasons.push('退休人员')
  if (s.assisted) reasons.push('低保或监测对象')
  if (kind === '房贷' && s.married && income.household > income.own) reasons.push('已婚按家庭收入估算')
  if (s.securedPayment > 0) reasons.push('已有房贷月供')
  if (kind === '房贷' && s.buyingPrice !== null && yuan >= 0.7 * s.buyingPrice - 1) reasons.push('以购房合同价七成为限')
  if (kind === '个人创业贷' && yuan >= 300_000) reasons.push('达到创业贷上限')
  return reasons
}

export default defineProduct({
  id: 'loan-quota-estimate',
  version: '1.0.0',
  kind: 'api',
  title: '贷款额度估算（个人）',
  category: '产业发展',
  description:
    '经本人授权，为银行快速估算个人房贷、个人创业贷可贷额度：依据社保缴费基数区间、公积金、医保参保类别、婚姻与户内关系、车辆房产、在押房贷和近期购房网签合同，按银行经验规则（月供不超过收入一半、扣除已有抵押月供、期限与上限）估算，输出取整额度、区间和原因码，不输出收入、基数或任何记录。',
  entityKey: 'residentId',
  scenario: {
    purpose: '银行经借款人本人授权，对房贷、个人创业贷申请快速估算可贷额度',
    tables: {
      social_insurance_payment: { key: 'resident_id', fields: { insurance_type: '仅看养老保险', period: '近三个月是否在职缴费', contribution_base: '缴费基数区间，估算月收入（不输出）' } },
      housing_fund_payment: { key: 'resident_id', fields: { period: '近三个月是否缴存公积金' } },
      medical_insurance_enrollment: {
        key: 'resident_id',
        fields: { insurance_type: '职工或居民医保', person_category: '在职、灵活就业、退休或城乡居民', assistance_category: '是否低保或防止返贫监测对象', contribution_base: '灵活就业人员所选基数是否高于最低档' },
      },
      household_registration: { key: 'resident_id', fields: { marital_status: '已婚者按家庭收入估算房贷', relation_to_head: '是否户主' } },
      vehicle: { key: 'owner_resident_id', fields: { status: '名下在用车辆数（与收入相关）' } },
      property_right_holder: { key: 'holder_resident_id', fields: { unit_no: '名下房产数（与收入相关）' } },
      mortgage: { key: 'mortgagor_resident_id', fields: { status: '是否仍在抵押', secured_amount: '已有抵押月供（不输出）', debt_start: '债务期限', debt_end: '债务期限' } },
      sale_contract_filing: { key: 'buyer_resident_id', fields: { status: '合同是否有效', signed_on: '近六个月签约', total_price: '房贷不超过合同价七成（不输出）' } },
      dishonest_debtor: { key: 'debtor_resident_id', fields: { removed_on: '是否仍在失信名单' } },
    },
  },
  input: t.object({ kind: t.enum(KINDS), residentId: t.residentId() }),
  output: t.object({
    kind: t.enum(KINDS),
    estimateWan: t.integer({ minimum: 0, maximum: MAX_WAN }),
    band: t.enum(BANDS),
    reasons: t.array(t.enum(REASONS), { maxItems: 6 }),
    asOf: t.string({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  }),
  run(ctx, input) {
    const signals = readPersonSignals(ctx, input.residentId)
    const income = estimateIncome(signals)
    const yuan = input.kind === '房贷' ? mortgageQuota(signals, income) : startupQuota(signals, income)
    const estimateWan = roundWan(yuan)
    return { kind: input.kind, estimateWan, band: bandOf(estimateWan), reasons: reasonsFor(input.kind, signals, income, yuan).slice(0, 6), asOf: ctx.asOf }
  },
})
