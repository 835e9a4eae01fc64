/**
 * What each household lives on, per member and month: wages of those in formal work, pensions
 * of the old (an employee's pension for those who retired from formal work, a few hundred yuan of
 * residents' pension for the rest, most villagers), informal earnings of the other adults. The
 * poorest households draw the minimum living allowance (低保); an old person alone and poor is
 * supported as 特困. Who retired from formal work (and so keeps employees' medical insurance) is
 * decided here too. Own random stream.
 */
import { CONTRIBUTION_PERIODS } from './calendar.ts'
import { createRandom } from './random.ts'
import type { World } from './world.ts'

export const NO_ASSISTANCE = 0
export const MINIMUM_LIVING = 1
export const EXTREME_POVERTY = 2
/** Share of persons below the 低保 line (低保 covered about 2.9% of the population in 2023). */
const ALLOWANCE_SHARE = 0.03

export type HouseholdIncome = {
  /** Monthly income per member, yuan, per household. */
  perCapita: Float32Array
  /** Per household: NO_ASSISTANCE, MINIMUM_LIVING (低保) or EXTREME_POVERTY (特困). */
  assistance: Uint8Array
  /** Per person of retirement age: 1 if they retired from formal employment. */
  retiredEmployee: Uint8Array
}

/** Whether a person's formal employment runs in the last month of the contribution window. */
export function isEmployedNow(world: World, p: number): boolean {
  const emp = world.employment
  const last = CONTRIBUTION_PERIODS.length
  return (emp.employer1[p]! >= 0 && emp.end1[p] === last) || (emp.employer2[p]! >= 0 && emp.end2[p] === last)
}

export function isRetirementAge(world: World, p: number): boolean {
  return world.people.age[p]! >= (world.people.male[p] === 1 ? 60 : 55)
}

export function generateHouseholdIncome(world: World): HouseholdIncome {
  const { people, households, places } = world
  const r = createRandom(world.seed, 'household-income')
  const income: HouseholdIncome = {
    perCapita: new Float32Array(households.count),
    assistance: new Uint8Array(households.count),
    retiredEmployee: new Uint8Array(people.count),
  }
  for (let h = 0; h < households.count; h++) {
    const a = households.dwelling[h]!
    const c = places.compound[a]!
    const village = c >= 0 && places.compounds[c]!.village
    const first = households.firstMember[h]!
    let total = 0
    for (let p = first; p < first + households.size[h]!; p++) {
      const level = people.income[p]!
      if (isEmployedNow(world, p)) total += world.employment.wage[p]!
      else if (isRetirementAge(world, p)) {
        income.retiredEmployee[p] = r.chance(village ? 0.1 : 0.4) ? 1 : 0
        total += income.retiredEmployee[p] === 1 ? 2800 * level : 200 + 60 * level
      } else if (people.age[p]! >= 18 && r.chance(0.75)) total += 2600 * level * (1.1 - people.risk[p]!)
    }
    income.perCapita[h] = total / Math.max(1, households.size[h]!)
  }
  // the allowance goes to those who cannot earn: a household with an able adult is counted richer than its income
  const means = new Float32Array(households.count)
  for (let h = 0; h < households.count; h++) {
    const first = households.firstMember[h]!
    let able = false
    for (let p = first; p < first + households.size[h]!; p++) able ||= people.age[p]! >= 18 && people.age[p]! < 55 && people.risk[p]! < 0.7
    means[h] = income.perCapita[h]! + (able ? 600 : 0)
  }
  const order = Int32Array.from(means.keys()).sort((a, b) => means[a]! - means[b]! || a - b)
  let covered = 0
  let line = 0
  for (const h of order) {
    if (covered >= ALLOWANCE_SHARE * people.count) break
    covered += households.size[h]!
    line = means[h]!
  }
  for (let h = 0; h < households.count; h++) {
    // most below the line draw the allowance, a few above it still do (not yet reviewed)
    if (!(means[h]! <= line ? r.chance(0.9) : r.chance(0.002))) continue
    const head = households.firstMember[h]!
    const aloneAndOld = households.size[h] === 1 && people.age[head]! >= 60
    income.assistance[h] = aloneAndOld && r.chance(0.3) ? EXTREME_POVERTY : MINIMUM_LIVING
  }
  return income
}
