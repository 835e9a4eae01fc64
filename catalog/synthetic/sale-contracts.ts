/**
 * Sale contracts signed online (网签) for the homes the register shows: every home bought since
 * 2010 (when online signing covered the city) has the contract its holder signed — with a
 * developer if the home was new, with the previous owner if not — dated before its registration,
 * at the price of its year, paid with the mortgage the register shows. Before 2010 the contracts
 * were on paper and are not here. A few purchases were preceded by a contract with another buyer
 * that was cancelled (撤销): a loan refused, a change of mind. And some homes are being sold right
 * now: a contract filed in the last months, the register still in the seller's name — so the
 * seller can no longer let or sell it, whatever a listing says; a sale of a home a court has sealed
 * (查封) is cancelled by the system. New compounds' developers are selling off the plan (预售).
 * Own random stream.
 */
import { AS_OF_DAY, dayNumber } from './calendar.ts'
import { yearOf } from './calendar-fast.ts'
import { createRandom, createWeightedPicker } from './random.ts'
import { DISTRICTS, HOUSE_PRICE_2025, HOUSE_PRICE_INDEX, INDUSTRIES, SALE_CANCEL_REASONS } from './vocabulary.ts'
import { RESIDENTIAL } from './places.ts'
import type { World } from './world.ts'

export const PRESALE = 0
export const NEW_READY = 1
export const RESALE = 2
export const SIGNED = 0
export const FILED = 1
export const CANCELLED = 2
/** Payment methods: 一次性付款, 商业贷款, 公积金贷款, 组合贷款. */
export const CASH = 0
const BANK_LOAN = 1
const FUND_LOAN = 2
const COMBINED_LOAN = 3
/** Housing.rightNature that are never sold on the market: 房改房, 自建房, 保障性住房. */
const NOT_FOR_SALE = new Set([1, 2, 3])
const ONLINE_SINCE = dayNumber('2010-01-01')
const REAL_ESTATE = INDUSTRIES.findIndex((i) => i.code === 'K')
const SEIZED = SALE_CANCEL_REASONS.findIndex((c) => c.name === '房屋被司法查封')

export type SaleContract = {
  address: number
  kind: number
  /** The seller: a person, or else an enterprise (a developer). */
  sellerPerson: number
  sellerEnterprise: number
  buyer: number
  coBuyer: number
  signedDay: number
  /** Day filed (备案), or -1 while only signed. */
  filedDay: number
  status: number
  cancelledDay: number
  /** Index into SALE_CANCEL_REASONS, or -1. */
  cancelReason: number
  price: number
  payment: number
}

export type SaleContracts = {
  contracts: SaleContract[]
  /** Per address: 1 when a filed contract waits for the transfer of the registration (sold, not yet the buyer's). */
  pendingTransfer: Uint8Array
}

export function planSaleContracts(world: World): SaleContracts {
  const { places, housing, people, households, enterprises: e, employment, courts } = world
  const r = createRandom(world.seed, 'sale-contracts')
  const plan: SaleContracts = { contracts: [], pendingTransfer: new Uint8Array(places.count) }
  // a contract before the real sale was not cancelled for a seizure: the home was sold after it
  const pickCancelReason = createWeightedPicker(SALE_CANCEL_REASONS.map((_, i) => i).filter((i) => i !== SEIZED), (i) => SALE_CANCEL_REASONS[i]!.weight)
  // people who sell second-hand homes (30–80) and who buy them (22–55), by district
  const sellers = DISTRICTS.map((): number[] => [])
  const buyers = DISTRICTS.map((): number[] => [])
  for (let p = 0; p < people.count; p++) {
    const d = households.district[people.household[p]!]!
    const age = people.age[p]!
    if (age >= 30 && age <= 80) sellers[d]!.push(p)
    if (age >= 22 && age <= 55) buyers[d]!.push(p)
  }
  const developers = DISTRICTS.map((): number[] => [])
  for (let i = 0; i < e.count; i++) if (e.industry[i] === REAL_ESTATE && e.type[i]! <= 1 && e.shell[i] === 0) developers[e.district[i]!]!.push(i)
  const anyDeveloper = developers.flat()
  const developerOf = (d: number): number => {
    const list = developers[d]!.length > 0 ? developers[d]! : anyDeveloper
    return list.length > 0 ? r.pick(list) : r.int(0, e.count - 1)
  }
  const someone = (pool: number[], not: number): number => {
    for (let k = 0; k < 5; k++) {
      const p = pool.length > 0 ? r.pick(pool) : r.int(0, people.count - 1)
      if (p !== not) return p
    }
    return (not + 1) % people.count
  }
  // the mortgage the holder took out when the home was registered
  const loan = new Float64Array(places.count)
  for (const m of housing.mortgages) if (m.person >= 0 && m.person === housing.owner1[m.address] && m.startDay === housing.registeredDay[m.address]) loan[m.address] = m.amount * 10_000
  const paysIntoFund = (p: number): boolean => employment.employer1[p]! >= 0 && e.housingFundRate[employment.employer1[p]!]! > 0

  for (let a = 0; a < places.count; a++) {
    const c = places.compound[a]!
    if (places.type[a] !== RESIDENTIAL || c < 0 || places.compounds[c]!.village) continue
    const d = places.district[a]!
    const built = places.compounds[c]!.builtYear
    const owner = housing.owner1[a]!
    const registered = housing.registeredDay[a]!
    const perM2 = HOUSE_PRICE_2025[DISTRICTS[d]!.city] ?? 6500
    const priceOn = (day: number): number => Math.round((places.area[a]! * perM2 * (HOUSE_PRICE_INDEX[yearOf(day)] ?? 1) * r.lognormal(0, 0.08)) / 100) * 100
    if (owner >= 0 && !NOT_FOR_SALE.has(housing.rightNature[a]!) && registered >= ONLINE_SINCE) {
      const isNew = yearOf(registered) <= built + 3
      const kind = isNew ? (r.chance(0.8) ? PRESALE : NEW_READY) : RESALE
      const signed = registered - (isNew ? r.int(180, 720) : r.int(10, 60))
      const sellerPerson = isNew ? -1 : someone(sellers[d]!, owner)
      const sellerEnterprise = isNew ? developerOf(d) : -1
      if (r.chance(0.04)) {
        // an earlier contract for the same home, with another buyer, cancelled
        const earlier = signed - r.int(40, 300)
        plan.contracts.push({
          address: a, kind, sellerPerson, sellerEnterprise, buyer: someone(buyers[d]!, owner), coBuyer: -1, signedDay: earlier,
          filedDay: earlier + r.int(0, 5), status: CANCELLED, cancelledDay: earlier + r.int(15, 35), cancelReason: pickCancelReason(r),
          price: priceOn(earlier), payment: BANK_LOAN,
        })
      }
      const payment = loan[a]! === 0 ? CASH : paysIntoFund(owner) ? r.pick([FUND_LOAN, COMBINED_LOAN, BANK_LOAN]) : BANK_LOAN
      plan.contracts.push({
        address: a, kind, sellerPerson, sellerEnterprise, buyer: owner, coBuyer: housing.owner2[a]!, signedDay: signed,
        filedDay: signed + r.int(0, 5), status: FILED, cancelledDay: -1, cancelReason: -1,
        // a loan is at most 80% of the price
        price: Math.max(priceOn(signed), Math.ceil(loan[a]! / 0.8 / 100) * 100), payment,
      })
    }
    // sold in the last months, not yet transferred: the register still names the seller. An owner
    // in debt tries to sell more often, but a home sealed by a court (查封) cannot be sold: the
    // system cancels the contract
    const developerStock = housing.ownerEnterprise[a]! >= 0 && built >= 2022
    const sealed = owner >= 0 && courts.personListed[owner] === 1
    if ((owner >= 0 && housing.rightNature[a] !== 3 && r.chance(sealed ? 0.1 : 0.012)) || (developerStock && r.chance(0.25))) {
      const signed = AS_OF_DAY - r.int(5, developerStock ? 300 : 120)
      const filed = r.chance(0.85)
      plan.contracts.push({
        address: a, kind: developerStock ? PRESALE : RESALE, sellerPerson: developerStock ? -1 : owner,
        sellerEnterprise: developerStock ? housing.ownerEnterprise[a]! : -1, buyer: someone(buyers[d]!, owner), coBuyer: -1,
        signedDay: signed, filedDay: filed ? Math.min(signed + r.int(0, 5), AS_OF_DAY - 1) : -1,
        status: sealed ? CANCELLED : filed ? FILED : SIGNED, cancelledDay: sealed ? Math.min(signed + r.int(1, 10), AS_OF_DAY - 1) : -1,
        cancelReason: sealed ? SEIZED : -1, price: priceOn(signed), payment: r.chance(0.7) ? BANK_LOAN : CASH,
      })
      if (!sealed) plan.pendingTransfer[a] = 1
    }
  }
  return plan
}
