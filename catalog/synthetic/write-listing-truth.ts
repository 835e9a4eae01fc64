/**
 * Ground truth for a check of rental listings (真实房源核验): listings as agents and platforms
 * advertise them — an address as the agent wrote it, a landlord, an area and a rent — each with
 * whether it is genuine, as an inspection found. Most are homes really let by their holder (or by a
 * joint holder, or by an agent the holder authorised: a landlord who is not the registered holder
 * is not always a fraud). The others: an address that does not exist, a home let by someone with
 * no right to it, a home sealed by a court (查封), a unit of public rental housing (公租房, never to
 * be sublet), a home already sold (网签 filed, not yet transferred), a home whose area is inflated.
 * Inspections err: a few bad listings pass, a few genuine ones fail (the landlord could not be
 * reached).
 */
import { createRandom, type Random } from './random.ts'
import { DISTRICTS, HOUSE_PRICE_2025 } from './vocabulary.ts'
import { RESIDENTIAL } from './places.ts'
import { RENTED, VACANT } from './housing.ts'
import { IN_KIND, RENTING, type HousingSecurity } from './housing-security.ts'
import type { SaleContracts } from './sale-contracts.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

type Problem = 'fake_address' | 'not_holder' | 'sealed' | 'public_housing' | 'sold' | 'area_misstated'

/** Shares of the listings by what is wrong with them; the rest are genuine. */
const PROBLEMS: readonly (readonly [Problem, number])[] = [
  ['fake_address', 0.09],
  ['not_holder', 0.1],
  ['sealed', 0.07],
  ['public_housing', 0.07],
  ['sold', 0.05],
  ['area_misstated', 0.02],
]

export function writeListingTruth(world: World, sink: TableSink, sales: SaleContracts, security: HousingSecurity): void {
  const { places, housing, people, courts } = world
  const r = createRandom(world.seed, 'rental-listing-truth')
  const sealed = (a: number): boolean =>
    (housing.owner1[a]! >= 0 && courts.personListed[housing.owner1[a]!] === 1) ||
    (housing.ownerEnterprise[a]! >= 0 && courts.enterpriseListed[housing.ownerEnterprise[a]!] === 1)
  const tenantOf = new Map<number, number>()
  for (const x of security.allocations) if (x.kind === IN_KIND && x.status === RENTING) tenantOf.set(x.address, x.applicant)
  const pools = { genuine: [] as number[], sealed: [] as number[], public_housing: [] as number[], sold: [] as number[] }
  for (let a = 0; a < places.count; a++) {
    const c = places.compound[a]!
    if (places.type[a] !== RESIDENTIAL || c < 0 || places.compounds[c]!.village) continue
    if (security.publicHousing[a] === 1) pools.public_housing.push(a)
    else if (housing.owner1[a]! < 0) continue
    else if (sealed(a)) pools.sealed.push(a)
    else if (sales.pendingTransfer[a] === 1) pools.sold.push(a)
    else if (housing.occupancy[a] === RENTED || housing.occupancy[a] === VACANT) pools.genuine.push(a)
  }
  const out = sink.openTruth('rental_listing')
  const count = Math.max(60, Math.round(world.households.count / 25))
  const anyone = (): number => r.int(0, people.count - 1)
  for (let k = 0; k < count; k++) {
    let problem = drawProblem(r)
    const pool = problem === 'sealed' || problem === 'public_housing' || problem === 'sold' ? pools[problem] : pools.genuine
    if (pool.length === 0 || pools.genuine.length === 0) problem = null
    const a = r.pick(pool.length > 0 ? pool : pools.genuine.length > 0 ? pools.genuine : [0])
    const holder = housing.owner1[a]!
    let landlord = holder >= 0 ? holder : anyone()
    if (problem === null) {
      // a joint holder, or an agent the holder authorised, may list it
      if (housing.owner2[a]! >= 0 && r.chance(0.1)) landlord = housing.owner2[a]!
      else if (r.chance(0.15)) landlord = anyone()
    } else if (problem === 'not_holder') landlord = anyone()
    else if (problem === 'public_housing') landlord = tenantOf.get(a) ?? anyone()
    const area = places.area[a]! * (problem === 'area_misstated' ? 1.3 + 0.3 * r.next() : 1 + r.normal() * 0.02)
    const perM2 = HOUSE_PRICE_2025[DISTRICTS[places.district[a]!]!.city] ?? 6500
    // what the inspection found: it passes a few bad listings, and fails a few good ones whose landlord it could not reach
    const genuine = problem === null ? !r.chance(0.01) : r.chance(0.03)
    const found = genuine ? null : problem ?? 'unverified'
    out.row([
      `FY${String(k + 1).padStart(7, '0')}`,
      problem === 'fake_address' ? inventedAddress(places.full[a]!, r) : asAdvertised(places.full[a]!, DISTRICTS[places.district[a]!]!.province, r),
      problem === 'fake_address' ? null : places.code[a]!,
      people.name[landlord]!,
      people.residentId[landlord]!,
      Math.round(area * 100) / 100,
      Math.round((places.area[a]! * perM2 * r.lognormal(0, 0.1)) / 420 / 10) * 10,
      genuine ? 1 : 0,
      found,
    ])
  }
}

function drawProblem(r: Random): Problem | null {
  let x = r.next()
  for (const [problem, share] of PROBLEMS) {
    if (x < share) return problem
    x -= share
  }
  return null
}

/** An agent writes the address without the province, often without the city. */
function asAdvertised(full: string, province: string, r: Random): string {
  const local = full.startsWith(province) ? full.slice(province.length) : full
  return r.chance(0.5) ? local : full
}

/** A building that was never built: the number of a real one beyond the compound's last. */
function inventedAddress(full: string, r: Random): string {
  return /(\d+)栋/.test(full) ? full.replace(/(\d+)栋/, (_, b: string) => `${Number(b) + 30 + r.int(0, 9)}栋`) : `${full}附${r.int(1, 9)}号`
}
