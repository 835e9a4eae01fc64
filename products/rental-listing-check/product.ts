import { defineProduct, t, type Row } from 'indomain/sdk'

/**
 * 真实房源核验 — for a rental listing (the home's standard address code, the landlord's name and the
 * area as the listing states them): is it a real, registered home that may be let — not seized
 * (查封), not public or other subsidised housing (保障性住房, never to be sublet), not sold under a
 * filed sale contract still waiting for its transfer (已网签), its area as registered — and is the
 * landlord the registered holder. A verdict and its reasons; never a holder's name, a buyer, an
 * amount or a date.
 *
 * The call is about the home, found by its address code in every table. The landlord is compared
 * by name only, in the form the registers deliver names (first and last character, 张*三): the
 * holder's name is that of the buyers of the contract the home was registered on, and a lessor of
 * a filed lease is someone the holder let it through.
 */

const VERDICTS = ['核验通过', '需核实', '核验不通过'] as const
const REASONS = ['标准地址不存在', '非住宅', '未办理不动产登记', '登记已注销', '已查封', '保障性住房', '已网签出售', '面积与登记不符', '出租人与登记权利人不符'] as const
const LANDLORD = ['一致', '不一致', '无法比对'] as const
type Reason = (typeof REASONS)[number]
type Landlord = (typeof LANDLORD)[number]

/**
 * A stated area this far from the registered one is misstated: a register's area and a listing's
 * differ by a few per cent (measured inside or out, rounded); an inflated one by a third or more.
 * Chosen on the tuning cities only.
 */
const AREA_TOLERANCE = 0.1
/** A sale contract in force: signed, or filed (备案); a cancelled one (已撤销) is not. */
const IN_FORCE = new Set(['已签约', '已备案'])

export default defineProduct({
  id: 'rental-listing-check',
  version: '1.0.0',
  kind: 'api',
  title: '真实房源核验',
  category: '产业发展',
  description: '按房源所称的标准地址编码、出租人姓名和面积，核验房屋是否真实存在并已登记、是否查封、是否为保障性住房、是否已网签出售、面积是否与登记一致、出租人是否为登记权利人，输出结论与原因，不输出权利人身份、金额或日期。',
  entityKey: 'addressCode',
  scenario: {
    purpose: '为租房人和房源发布平台核验房源真实性，防范虚假房源、无权出租、转租保障房和一房多卖（产业发展）',
    tables: {
      standard_address: { key: 'address_code', fields: { address_type: '地址是否存在、是否为住宅' } },
      real_estate: {
        key: 'address_code',
        fields: { use: '规划用途是否为住宅', right_nature: '是否为保障性住房', building_area: '与房源所称面积比对', registered_on: '判断网签合同是否在本次登记之后', status: '是否查封、注销' },
      },
      sale_contract_filing: {
        key: 'address_code',
        fields: { status: '合同是否有效', signed_on: '签约是否在本次登记之后（已售待过户）', buyer_name: '登记所据合同的买受人，与出租人姓名比对（仅脱敏形式）', co_buyer_name: '共同买受人，与出租人姓名比对（仅脱敏形式）' },
      },
      housing_security_allocation: { key: 'address_code', fields: { allocation_type: '是否实物配租的公租房', status: '配租是否在保障中' } },
      rental_registration: { key: 'address_code', fields: { lessor_name: '已备案租赁的出租人，与出租人姓名比对（仅脱敏形式）' } },
    },
  },
  input: t.object({
    addressCode: t.string({ pattern: '^\\d{22}$' }),
    landlordName: t.string({ pattern: '^[\\p{Han}·]{2,20}$' }),
    area: t.number({ minimum: 1, maximum: 10_000 }),
  }),
  output: t.object({
    verdict: t.enum(VERDICTS),
    reasons: t.array(t.enum(REASONS), { maxItems: REASONS.length }),
    landlord: t.enum(LANDLORD),
  }),
  run(ctx, input) {
    const reasons = new Set<Reason>()
    const address = ctx.rows('standard_address')[0]
    if (address === undefined) return { verdict: '核验不通过' as const, reasons: ['标准地址不存在' as const], landlord: '无法比对' as const }
    if (address.address_type !== null && address.address_type !== '住宅') reasons.add('非住宅')
    const home = ctx.rows('real_estate')[0]
    if (home === undefined) reasons.add('未办理不动产登记')
    else {
      if (home.status === '注销') reasons.add('登记已注销')
      if (home.status === '查封') reasons.add('已查封')
      if (home.right_nature === '保障性住房') reasons.add('保障性住房')
      if (home.use !== null && home.use !== '住宅') reasons.add('非住宅')
      const registered = Number(home.building_area)
      if (registered > 0 && Math.abs(input.area - registered) > AREA_TOLERANCE * registered) reasons.add('面积与登记不符')
    }
    const contracts = ctx.rows('sale_contract_filing').filter((c) => IN_FORCE.has(String(c.status)))
    const registeredOn = home?.registered_on === null || home?.registered_on === undefined ? undefined : String(home.registered_on)
    // sold and not yet transferred: a contract in force signed after the registration the home stands on
    if (registeredOn !== undefined && contracts.some((c) => c.signed_on !== null && String(c.signed_on) > registeredOn)) reasons.add('已网签出售')
    // a unit of public rental housing let in kind to a household now
    if (ctx.rows('housing_security_allocation').some((a) => a.allocation_type === '实物配租' && a.status === '保障中')) reasons.add('保障性住房')
    const landlord = compareLandlord(input.landlordName, holderNames(contracts, registeredOn), ctx.rows('rental_registration'))
    if (landlord === '不一致') reasons.add('出租人与登记权利人不符')
    const listed = REASONS.filter((r) => reasons.has(r))
    const verdict: (typeof VERDICTS)[number] = listed.some((r) => r !== '出租人与登记权利人不符') ? '核验不通过' : listed.length > 0 ? '需核实' : '核验通过'
    return { verdict, reasons: listed, landlord }
  },
})

/** The buyers of the contracts in force signed on or before the registration: the holders it names. */
function holderNames(contracts: readonly Row[], registeredOn: string | undefined): string[] {
  const names: string[] = []
  for (const c of contracts) {
    if (registeredOn !== undefined && c.signed_on !== null && String(c.signed_on) > registeredOn) continue
    for (const name of [c.buyer_name, c.co_buyer_name]) if (typeof name === 'string') names.push(name)
  }
  return names
}

/**
 * The landlord against the holders and the registered lessors, in the masked form (first and last
 * character): 一致 when one matches, 不一致 when the holders are known and none does, else 无法比对
 * (a home registered without a filed sale contract: built by its owner, bought before 网签, a company's).
 */
function compareLandlord(landlord: string, holders: readonly string[], leases: readonly Row[]): Landlord {
  const known = [...holders, ...leases.map((l) => l.lessor_name).filter((n): n is string => typeof n === 'string')].filter(isName)
  const masked = maskName(landlord)
  if (known.some((n) => maskName(n) === masked)) return '一致'
  return holders.some(isName) ? '不一致' : '无法比对'
}

/** A name as the registers mask it (partial: 张*三, 欧阳**明, 张*): idempotent on a masked one. */
function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 2) return `${chars[0] ?? ''}${'*'.repeat(Math.max(chars.length - 1, 1))}`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}

/** A name or its mask, not a pseudonym (p_…) an operator may have chosen instead: that cannot be compared. */
function isName(value: string): boolean {
  return value.length > 0 && !/^p_[a-z]+$/.test(value)
}
