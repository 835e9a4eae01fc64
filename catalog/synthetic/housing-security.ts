/**
 * Public rental housing (公租房) and its tenants. The register's 保障性住房 homes that are not
 * lived in by an owner are the city's public rental stock: a home let to a household is that
 * household's allocation; an empty one is either between tenants or allocated to a household that
 * lives elsewhere (left idle, 闲置); one crowded as a group rental is allocated to a household that
 * sublets it (转租) — what public housing must never be, and what a listing check should catch.
 * Poor households renting privately wait for a unit (轮候) or draw a rent subsidy (租赁补贴) for
 * the home they rent. Own random stream.
 */
import { AS_OF_DAY } from './calendar.ts'
import { createRandom } from './random.ts'
import { DISTRICTS, HOUSE_PRICE_2025 } from './vocabulary.ts'
import { GROUP_RENTAL, RENTED, VACANT } from './housing.ts'
import { NO_ASSISTANCE, isEmployedNow, type HouseholdIncome } from './household-income.ts'
import type { World } from './world.ts'

const PUBLIC_HOUSING = 3
export const WAITING = 0
export const RENTING = 1
export const ENDED = 2
export const IN_KIND = 0
export const RENT_SUBSIDY = 1
export const IDLE = 1
export const SUBLET = 2
/** A tenancy of public rental housing runs three years (renewable). */
const TERM_DAYS = 3 * 365

export type Allocation = {
  applicant: number
  /** The unit let (in kind) or the private home a subsidy pays for; -1 while waiting. */
  address: number
  kind: number
  /** Index into HOUSING_SECURITY_CATEGORIES and INCOME_BANDS. */
  category: number
  incomeBand: number
  members: number
  startDay: number
  endDay: number
  status: number
  rent: number
  subsidy: number
}

export type HousingSecurity = {
  allocations: Allocation[]
  /** Per address: 1 for a unit of the public rental stock. */
  publicHousing: Uint8Array
  /** Per address: IDLE or SUBLET where the current tenancy is misused, else 0. */
  misuse: Uint8Array
}

export function planHousingSecurity(world: World, income: HouseholdIncome): HousingSecurity {
  const { places, housing, households } = world
  const r = createRandom(world.seed, 'housing-security')
  const plan: HousingSecurity = { allocations: [], publicHousing: new Uint8Array(places.count), misuse: new Uint8Array(places.count) }
  // households of modest means, by district: those who may hold an allocation they no longer live in
  const modest = DISTRICTS.map((): number[] => [])
  for (let h = 0; h < households.count; h++) if (income.perCapita[h]! < 3000) modest[households.district[h]!]!.push(h)
  const householdOf = (d: number): number => (modest[d]!.length > 0 ? r.pick(modest[d]!) : r.int(0, households.count - 1))
  const allocate = (h: number, address: number, kind: number, status: number, start: number, amount: number): void => {
    const head = households.firstMember[h]!
    plan.allocations.push({
      applicant: head,
      address,
      kind,
      category: categoryOf(world, income, h),
      incomeBand: bandOf(income.perCapita[h]!),
      members: households.size[h]!,
      startDay: start,
      endDay: start + TERM_DAYS,
      status,
      rent: kind === IN_KIND ? amount : 0,
      subsidy: kind === RENT_SUBSIDY ? amount : 0,
    })
  }
  for (let a = 0; a < places.count; a++) {
    const occupancy = housing.occupancy[a]!
    if (housing.rightNature[a] !== PUBLIC_HOUSING || (occupancy !== RENTED && occupancy !== VACANT && occupancy !== GROUP_RENTAL)) continue
    plan.publicHousing[a] = 1
    const d = places.district[a]!
    const rent = Math.round((places.area[a]! * (HOUSE_PRICE_2025[DISTRICTS[d]!.city] ?? 6500) * 0.55) / 420 / 10) * 10
    const start = AS_OF_DAY - r.int(30, TERM_DAYS - 30)
    // an earlier tenant who has left
    if (r.chance(0.4)) allocate(householdOf(d), a, IN_KIND, ENDED, start - TERM_DAYS - r.int(0, 200), rent)
    if (occupancy === RENTED) allocate(housing.household[a]!, a, IN_KIND, RENTING, start, rent)
    else if (occupancy === GROUP_RENTAL) {
      allocate(householdOf(d), a, IN_KIND, RENTING, start, rent)
      plan.misuse[a] = SUBLET
    } else if (r.chance(0.55)) {
      allocate(householdOf(d), a, IN_KIND, RENTING, start, rent)
      plan.misuse[a] = IDLE
    } else allocate(householdOf(d), a, IN_KIND, ENDED, start - TERM_DAYS, rent)
  }
  // poor households renting privately: waiting for a unit, or paid a subsidy towards their rent
  for (let h = 0; h < households.count; h++) {
    if (households.tenant[h] === 0 || income.perCapita[h]! >= 2500) continue
    const poor = income.assistance[h] !== NO_ASSISTANCE
    if (poor && r.chance(0.5)) allocate(h, households.dwelling[h]!, RENT_SUBSIDY, RENTING, AS_OF_DAY - r.int(30, 700), 50 * r.int(4, 12))
    else if (r.chance(poor ? 0.4 : 0.12)) allocate(h, -1, IN_KIND, WAITING, AS_OF_DAY - r.int(20, 900), 0)
  }
  return plan
}

/** HOUSING_SECURITY_CATEGORIES: 低保, 低收入, 中等偏下, 新就业无房职工, 外来务工人员. */
function categoryOf(world: World, income: HouseholdIncome, h: number): number {
  const head = world.households.firstMember[h]!
  const here = DISTRICTS[world.households.district[h]!]!.code.slice(0, 4)
  if (income.assistance[h] !== NO_ASSISTANCE) return 0
  if (world.people.residentId[head]!.slice(0, 4) !== here) return 4
  if (world.people.age[head]! < 30 && isEmployedNow(world, head)) return 3
  return income.perCapita[h]! < 1500 ? 1 : 2
}

function bandOf(perCapita: number): number {
  return perCapita < 1000 ? 0 : perCapita < 2000 ? 1 : perCapita < 3000 ? 2 : 3
}
