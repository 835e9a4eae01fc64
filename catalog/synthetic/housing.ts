/**
 * Who lives where and who owns what: households are placed in dwellings as owners or tenants,
 * the remaining dwellings stand vacant or are let as group rentals (群租); properties get
 * holders, mortgages and rental filings. The true occupancy is kept as ground truth.
 */
import { AS_OF_DAY, dayNumber } from './calendar.ts'
import { createRandom, createWeightedPicker, type Random } from './random.ts'
import { DISTRICTS, HOUSE_PRICE_2025, INDUSTRIES, MORTGAGEES } from './vocabulary.ts'
import { addDwellings, RESIDENTIAL, type Places } from './places.ts'
import { ELDERLY_ALONE, HOUSEHOLD_TYPES, type Households, type Population } from './population.ts'
import { isActiveStatus, type Enterprises } from './economy.ts'

export const OCCUPANCY = ['none', 'owner_occupied', 'rented', 'vacant', 'group_rental'] as const
export const OWNER_OCCUPIED = 1
export const RENTED = 2
export const VACANT = 3
export const GROUP_RENTAL = 4

export const RIGHT_NATURES = ['市场化商品房', '房改房', '自建房', '保障性住房', '出让', '划拨'] as const

export type Mortgage = {
  address: number
  person: number
  enterprise: number
  bank: number
  amount: number
  startDay: number
  endDay: number
  maximum: boolean
  cancelledDay: number
}

export type RentalFiling = {
  address: number
  lessor: number
  lessee: number
  startDay: number
  endDay: number
  rent: number
  occupants: number
  business: boolean
}

export type Housing = {
  occupancy: Uint8Array
  occupants: Uint8Array
  household: Int32Array
  owner1: Int32Array
  owner2: Int32Array
  ownerEnterprise: Int32Array
  registeredDay: Int32Array
  rightNature: Uint8Array
  /** Household lives in an elderly-care institution; its home stands empty. */
  institution: Uint8Array
  mortgages: Mortgage[]
  rentals: RentalFiling[]
}

/** Local price of housing, yuan per m², for mortgage and rent amounts. */
const PRICE_PER_M2 = HOUSE_PRICE_2025

export function generateHousing(
  seed: string | number,
  places: Places,
  people: Population,
  households: Households,
  enterprises: Enterprises,
): Housing {
  const r = createRandom(seed, 'housing')
  // dwellings per district: one per household, plus ~11% vacant and ~2% group rentals
  const perDistrict = new Map<number, number[]>()
  for (let h = 0; h < households.count; h++) {
    const d = households.district[h]!
    let list = perDistrict.get(d)
    if (list === undefined) perDistrict.set(d, (list = []))
    list.push(h)
  }
  const capacity = places.district.length
  const housing: Housing = {
    occupancy: new Uint8Array(capacity),
    occupants: new Uint8Array(capacity),
    household: new Int32Array(capacity).fill(-1),
    owner1: new Int32Array(capacity).fill(-1),
    owner2: new Int32Array(capacity).fill(-1),
    ownerEnterprise: new Int32Array(capacity).fill(-1),
    registeredDay: new Int32Array(capacity),
    rightNature: new Uint8Array(capacity),
    institution: new Uint8Array(households.count),
    mortgages: [],
    rentals: [],
  }
  const investors = investorsByDistrict(people, households)
  const developers = developersByDistrict(enterprises)
  const bankPicker = createWeightedPicker(
    MORTGAGEES.map((_, i) => i),
    (i) => MORTGAGEES[i]!.weight,
  )
  const pickBank = (district: number, distressed: boolean): number => {
    const d = DISTRICTS[district]!
    for (let attempt = 0; attempt < 20; attempt++) {
      const b = bankPicker(r)
      const bank = MORTGAGEES[b]!
      if (bank.city !== undefined && bank.city !== d.city && bank.city !== d.name) continue
      if (bank.province !== undefined && bank.province !== d.province) continue
      if (bank.districts !== undefined && !bank.districts.includes(d.code)) continue
      const lender = bank.mortgageeClass === '小额贷款公司' || bank.mortgageeClass === '融资担保公司'
      if (lender && !distressed && r.chance(0.85)) continue
      return b
    }
    return MORTGAGEES.findIndex((b) => b.city === undefined && b.province === undefined)
  }

  for (const [district, list] of perDistrict) {
    const needed = Math.ceil(list.length * 1.13)
    const dwellings = addDwellings(places, district, needed, r)
    const city = DISTRICTS[district]!.city
    const price = PRICE_PER_M2[city] ?? 6500
    let k = 0
    for (const h of list) {
      const a = dwellings[k++]!
      households.dwelling[h] = a
      housing.household[a] = h
      const type = HOUSEHOLD_TYPES[households.type[h]!]!
      const tenantShare =
        type === 'single_young' ? 0.6 : type === 'couple_young' ? 0.45 : type === 'single_middle' ? 0.25 : type === 'family' ? 0.2 : 0.06
      const village = places.compounds[places.compound[a]!]!.village
      const head = households.firstMember[h]!
      if (!village && r.chance(tenantShare)) {
        households.tenant[h] = 1
        housing.occupancy[a] = RENTED
        housing.occupants[a] = households.size[h]!
        housing.owner1[a] = pickInvestor(investors, district, r)
        if (r.chance(0.45)) {
          const area = places.area[a]!
          const start = AS_OF_DAY - r.int(20, 700)
          housing.rentals.push({
            address: a,
            lessor: housing.owner1[a]!,
            lessee: head,
            startDay: start,
            endDay: start + 365 * r.int(1, 3),
            rent: Math.round((area * price) / 420 / 10) * 10,
            occupants: households.size[h]!,
            business: false,
          })
        }
      } else {
        housing.occupancy[a] = OWNER_OCCUPIED
        housing.occupants[a] = households.size[h]!
        housing.owner1[a] = head
        if (households.size[h]! >= 2 && people.relation[head + 1] === 1 && r.chance(0.45)) housing.owner2[a] = head + 1
        // a few elderly living alone moved to a care institution: their home is empty
        if (households.type[h] === ELDERLY_ALONE && people.age[head]! >= 75 && r.chance(0.05)) {
          housing.institution[h] = 1
          housing.occupancy[a] = VACANT
          housing.occupants[a] = 0
        }
      }
      registerProperty(housing, places, a, r)
      maybeMortgage(housing, places, a, people, price, pickBank, r)
    }
    // the rest: mostly vacant, some group rentals in town compounds
    for (; k < dwellings.length; k++) {
      const a = dwellings[k]!
      const village = places.compounds[places.compound[a]!]!.village
      if (!village && r.chance(0.15)) {
        housing.occupancy[a] = GROUP_RENTAL
        housing.occupants[a] = r.int(6, 14)
        housing.owner1[a] = pickInvestor(investors, district, r)
        if (r.chance(0.65)) {
          const filings = r.int(2, 6)
          const start = AS_OF_DAY - r.int(20, 500)
          for (let f = 0; f < filings; f++) {
            housing.rentals.push({
              address: a,
              lessor: housing.owner1[a]!,
              lessee: pickInvestor(investors, district, r, true),
              startDay: start + r.int(0, 60),
              endDay: start + 365,
              rent: Math.round((places.area[a]! * price) / 420 / filings / 10) * 10 + r.int(0, 5) * 50,
              occupants: r.int(1, 3),
              business: false,
            })
          }
        }
      } else {
        housing.occupancy[a] = VACANT
        const developer = developers.get(district)
        if (developer !== undefined && developer.length > 0 && r.chance(0.1)) housing.ownerEnterprise[a] = r.pick(developer)
        else housing.owner1[a] = pickInvestor(investors, district, r)
      }
      registerProperty(housing, places, a, r)
      if (housing.ownerEnterprise[a] === -1) maybeMortgage(housing, places, a, people, price, pickBank, r)
    }
  }

  // business premises: some owned by the enterprise (and mortgaged more often when it struggles)
  const premisesSeen = new Set<number>()
  for (let i = 0; i < enterprises.count; i++) {
    const a = enterprises.premises[i]!
    if (premisesSeen.has(a)) continue
    premisesSeen.add(a)
    const district = enterprises.district[i]!
    const risk = 1 - enterprises.health[i]!
    if (enterprises.shell[i] === 0 && r.chance(0.3)) {
      housing.ownerEnterprise[a] = i
      registerProperty(housing, places, a, r)
      if (isActiveStatus(enterprises.status[i]!) && r.chance(0.12 + 0.6 * risk)) {
        const start = AS_OF_DAY - r.int(30, 1500)
        housing.mortgages.push({
          address: a,
          person: -1,
          enterprise: i,
          bank: pickBank(district, risk > 0.45),
          amount: Math.round(places.area[a]! * (PRICE_PER_M2[DISTRICTS[district]!.city] ?? 6500) * r.next() * 0.9) / 10000,
          startDay: start,
          endDay: start + 365 * r.int(1, 5),
          maximum: r.chance(0.7),
          cancelledDay: -1,
        })
      }
    } else {
      housing.owner1[a] = pickInvestor(investors, district, r)
      registerProperty(housing, places, a, r)
      if (enterprises.shell[i] === 0 && isActiveStatus(enterprises.status[i]!) && r.chance(0.35)) {
        const start = AS_OF_DAY - r.int(20, 900)
        housing.rentals.push({
          address: a,
          lessor: housing.owner1[a]!,
          lessee: enterprises.legalRep[i]!,
          startDay: start,
          endDay: start + 365 * r.int(1, 5),
          rent: Math.round((places.area[a]! * 30) / 10) * 10,
          occupants: 0,
          business: true,
        })
      }
    }
  }
  return housing
}

function registerProperty(housing: Housing, places: Places, a: number, r: Random): void {
  const c = places.compound[a]!
  const compound = c >= 0 ? places.compounds[c]! : undefined
  const built = compound?.builtYear ?? 2000 + r.int(0, 24)
  const firstYear = Math.max(built, 1998)
  const day = dayNumber(`${r.int(firstYear, 2025)}-01-01`) + r.int(0, 300)
  housing.registeredDay[a] = Math.min(day, AS_OF_DAY - 10)
  housing.rightNature[a] =
    places.type[a] !== RESIDENTIAL ? 4 : compound?.village ? 2 : built < 2000 ? 1 : r.chance(0.06) ? 3 : 0
}

function maybeMortgage(
  housing: Housing,
  places: Places,
  a: number,
  people: Population,
  price: number,
  pickBank: (district: number, distressed: boolean) => number,
  r: Random,
): void {
  const owner = housing.owner1[a]!
  if (owner < 0 || housing.rightNature[a] === 2) return
  const years = (AS_OF_DAY - housing.registeredDay[a]!) / 365.25
  const value = places.area[a]! * price
  const distressed = people.risk[owner]! > 0.6
  if (years < 25 && people.age[owner]! < 62 && r.chance(0.42 + 0.2 * people.risk[owner]!)) {
    const term = r.pick([15, 20, 25, 30])
    const cancelled = years > term * 0.6 && r.chance(0.5)
    housing.mortgages.push({
      address: a,
      person: owner,
      enterprise: -1,
      bank: pickBank(places.district[a]!, distressed),
      amount: Math.round(value * (0.45 + 0.25 * r.next())) / 10000,
      startDay: housing.registeredDay[a]!,
      endDay: housing.registeredDay[a]! + Math.round(term * 365.25),
      maximum: false,
      cancelledDay: cancelled ? AS_OF_DAY - r.int(10, 1000) : -1,
    })
  }
  // business owners and people in trouble pledge homes for loans (最高额抵押 to small lenders)
  if (distressed && r.chance(0.25)) {
    const start = AS_OF_DAY - r.int(30, 900)
    housing.mortgages.push({
      address: a,
      person: owner,
      enterprise: -1,
      bank: pickBank(places.district[a]!, true),
      amount: Math.round(value * (0.1 + 0.3 * r.next())) / 10000,
      startDay: start,
      endDay: start + 365 * r.int(1, 3),
      maximum: true,
      cancelledDay: -1,
    })
  }
}

/** Adults 30–75 with above-median income own the homes that others rent or leave empty. */
function investorsByDistrict(people: Population, households: Households): { owners: Map<number, number[]>; workers: Map<number, number[]> } {
  const owners = new Map<number, number[]>()
  const workers = new Map<number, number[]>()
  for (let d = 0; d < DISTRICTS.length; d++) {
    owners.set(d, [])
    workers.set(d, [])
  }
  for (let p = 0; p < people.count; p++) {
    const d = households.district[people.household[p]!]!
    const age = people.age[p]!
    if (age >= 30 && age <= 75 && people.income[p]! > 1.1) owners.get(d)!.push(p)
    if (age >= 18 && age <= 50) workers.get(d)!.push(p)
  }
  return { owners, workers }
}

function pickInvestor(
  pools: { owners: Map<number, number[]>; workers: Map<number, number[]> },
  district: number,
  r: Random,
  worker = false,
): number {
  const map = worker ? pools.workers : pools.owners
  let list = map.get(district)!
  if (list.length === 0) list = [...map.values()].find((l) => l.length > 0) ?? [0]
  return list[r.int(0, list.length - 1)]!
}

function developersByDistrict(e: Enterprises): Map<number, number[]> {
  const map = new Map<number, number[]>()
  for (let i = 0; i < e.count; i++) {
    if (e.shell[i] === 1 || !isActiveStatus(e.status[i]!) || e.type[i]! > 1) continue
    if (INDUSTRIES[e.industry[i]!]!.code === 'K') {
      const d = e.district[i]!
      let list = map.get(d)
      if (list === undefined) map.set(d, (list = []))
      list.push(i)
    }
  }
  return map
}

