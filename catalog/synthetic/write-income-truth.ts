/**
 * Ground truth of what each adult lives on and already owes, per month, against which a bank's
 * quick estimate of a loan (a mortgage, a start-up loan) can be scored: the person's own income —
 * the wage of formal work that runs in the last month, the pension of the retired, or the informal
 * earnings household-income.ts gave the other adults —, their household's income per member and its
 * size, and the level payment of every mortgage registered on them that is still running.
 *
 * household-income.ts keeps only the household's income per member, and whether an adult outside
 * formal work and retirement earns informally is a draw of its own stream. That draw is read back
 * here, not replayed: the household's total less what its wage earners and pensioners have is what
 * its other adults earn informally, and the one set of them whose earnings add up to it is the set
 * that earns. Should no set add up (household-income.ts computed otherwise), the rest is shared in
 * proportion to what each could earn.
 */
import { AS_OF_DAY } from './calendar.ts'
import { isEmployedNow, isRetirementAge, type HouseholdIncome } from './household-income.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

/** Annual rate a running mortgage's level payment is computed at (the 5-year benchmark rate of 2015–2019). */
const MORTGAGE_RATE = 0.049
/** Most informal earners one household is decomposed into exactly (2^n sets are tried). */
const MAX_EXACT = 12

export function writeIncomeTruth(world: World, sink: TableSink, income: HouseholdIncome): void {
  const { people, households } = world
  const monthly = personalIncome(world, income)
  const debt = new Float64Array(people.count)
  for (const m of world.housing.mortgages) {
    if (m.person < 0 || m.cancelledDay >= 0 || m.endDay <= AS_OF_DAY) continue
    debt[m.person]! += levelPayment(m.amount * 10_000, Math.max(1, Math.round((m.endDay - m.startDay) / 30.4375)))
  }
  const out = sink.openTruth('person_income')
  for (let p = 0; p < people.count; p++) {
    if (people.age[p]! < 18) continue
    const h = people.household[p]!
    out.row([people.residentId[p]!, cents(monthly[p]!), cents(income.perCapita[h]!), households.size[h]!, cents(debt[p]!)])
  }
}

/** The monthly level payment of `principal` yuan over `months` at MORTGAGE_RATE. */
function levelPayment(principal: number, months: number): number {
  const r = MORTGAGE_RATE / 12
  return (principal * r) / (1 - (1 + r) ** -months)
}

/** Each person's own monthly income, yuan: the parts of their household's income that are theirs. */
function personalIncome(world: World, income: HouseholdIncome): Float64Array {
  const { people, households } = world
  const own = new Float64Array(people.count)
  for (let h = 0; h < households.count; h++) {
    const first = households.firstMember[h]!
    const size = households.size[h]!
    let known = 0
    const informal: { person: number; could: number }[] = []
    for (let p = first; p < first + size; p++) {
      const level = people.income[p]!
      if (isEmployedNow(world, p)) own[p] = world.employment.wage[p]!
      else if (isRetirementAge(world, p)) own[p] = income.retiredEmployee[p] === 1 ? 2800 * level : 200 + 60 * level
      else if (people.age[p]! >= 18) informal.push({ person: p, could: 2600 * level * (1.1 - people.risk[p]!) })
      known += own[p]!
    }
    const rest = income.perCapita[h]! * Math.max(1, size) - known
    for (const [k, share] of informalShares(informal.map((x) => x.could), rest).entries()) own[informal[k]!.person] = share
  }
  return own
}

/**
 * What each informal earner of a household earns, given what they could and the household's rest:
 * the one set whose earnings add up to the rest (within the rounding of a per-member income kept
 * in 32 bits), or else the rest shared in proportion.
 */
function informalShares(could: readonly number[], rest: number): number[] {
  if (could.length === 0) return []
  const tolerance = Math.max(0.5, Math.abs(rest) * 1e-6)
  if (could.length <= MAX_EXACT) {
    for (let set = 0; set < 1 << could.length; set++) {
      let sum = 0
      for (let k = 0; k < could.length; k++) if (set & (1 << k)) sum += could[k]!
      if (Math.abs(sum - rest) <= tolerance) return could.map((c, k) => (set & (1 << k) ? c : 0))
    }
  }
  const total = could.reduce((a, c) => a + c, 0)
  return could.map((c) => (total <= 0 ? 0 : (Math.max(0, rest) * c) / total))
}

function cents(yuan: number): number {
  return Math.round(yuan * 100) / 100
}
