/**
 * 房屋买卖合同网签备案信息: the sale contracts of sale-contracts.ts as the 住建局's online-signing
 * system holds them (新建商品房买卖合同网签备案 and 存量房网签合同备案 in one table).
 */
import { createDateCache, yearOf } from './calendar-fast.ts'
import { DISTRICTS, SALE_CANCEL_REASONS } from './vocabulary.ts'
import { compoundName } from './places.ts'
import { unitNo } from './write-property.ts'
import { CANCELLED, PRESALE, RESALE, type SaleContracts } from './sale-contracts.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

const CONTRACT_TYPES = ['新建商品房买卖合同（预售）', '新建商品房买卖合同（现售）', '存量房买卖合同'] as const
const PAYMENT_METHODS = ['一次性付款', '商业贷款', '公积金贷款', '组合贷款'] as const
const STATUSES = ['已签约', '已备案', '已撤销'] as const

export function writeSaleContractFilings(world: World, sink: TableSink, plan: SaleContracts): void {
  const { places, people, enterprises: e } = world
  const out = sink.open('sale_contract_filing', [
    'contract_no', 'contract_type', 'unit_no', 'address_code', 'address', 'compound', 'building_area', 'seller_type',
    'seller_name', 'seller_uscc', 'seller_resident_id', 'buyer_name', 'buyer_resident_id', 'co_buyer_name',
    'co_buyer_resident_id', 'total_price', 'payment_method', 'signed_on', 'filed_on', 'status', 'cancelled_on',
    'cancel_reason',
  ])
  const serial = new Map<string, number>()
  const dateOf = createDateCache()
  for (const c of plan.contracts) {
    const a = c.address
    const d = DISTRICTS[places.district[a]!]!
    const year = yearOf(c.signedDay)
    const prefix = c.kind === PRESALE ? 'YS' : c.kind === RESALE ? 'CL' : 'XS'
    const key = `${prefix}${d.code}${year}`
    const n = (serial.get(key) ?? 0) + 1
    serial.set(key, n)
    const company = c.sellerEnterprise >= 0
    out.row([
      `${key}${String(n).padStart(6, '0')}`,
      CONTRACT_TYPES[c.kind]!,
      unitNo(world, a),
      places.code[a]!,
      places.full[a]!,
      compoundName(places, a),
      Math.round(places.area[a]! * 100) / 100,
      company ? '企业' : '个人',
      company ? e.name[c.sellerEnterprise]! : people.name[c.sellerPerson]!,
      company ? e.uscc[c.sellerEnterprise]! : null,
      company ? null : people.residentId[c.sellerPerson]!,
      people.name[c.buyer]!,
      people.residentId[c.buyer]!,
      c.coBuyer >= 0 ? people.name[c.coBuyer]! : null,
      c.coBuyer >= 0 ? people.residentId[c.coBuyer]! : null,
      c.price,
      PAYMENT_METHODS[c.payment]!,
      dateOf(c.signedDay),
      c.filedDay >= 0 ? dateOf(c.filedDay) : null,
      STATUSES[c.status]!,
      c.status === CANCELLED ? dateOf(c.cancelledDay) : null,
      c.status === CANCELLED ? SALE_CANCEL_REASONS[c.cancelReason]!.name : null,
    ])
  }
}
