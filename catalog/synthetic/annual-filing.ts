/**
 * Annual reports and what follows from not filing them (《企业信息公示暂行条例》, 2014): each
 * enterprise reports a year by 30 June of the next; one that has not is put on the list of
 * abnormal operations (经营异常名录) within weeks and comes off when it files late; after three
 * years on the list it goes onto the list of serious violations (严重违法失信名单). Sound firms
 * file on time, failing firms and shells less often, dormant firms (before a revocation) not at
 * all; now and then a sound firm forgets and is listed for a few weeks. Shells at a registration
 * agent's address are listed as unreachable (无法联系) — and so, less often, are the small real
 * businesses that share such an address. Individual businesses (个体工商户) report too, but are
 * marked rather than listed, so they never appear on the list. Own random stream.
 */
import { AS_OF_DAY, dayNumber } from './calendar.ts'
import { createRandom } from './random.ts'
import { REPORT_YEARS } from './enterprise-finances.ts'
import type { EnterpriseExits } from './enterprise-exits.ts'
import type { World } from './world.ts'

/** filedDay of a report that was due and never filed. */
export const NOT_FILED = -1
/** filedDay of a year the enterprise did not have to report (not yet set up, or already gone). */
export const NOT_DUE = -2

/** Indexes into ABNORMAL_LIST_REASONS. */
const NO_REPORT = 0
const NO_DISCLOSURE = 1
const CONCEALED = 2
const UNREACHABLE = 3
/** Indexes into SERIOUS_VIOLATION_REASONS and SERIOUS_VIOLATION_REMOVALS. */
const THREE_YEARS_ABNORMAL = 0
const REPAIRED = 0
const INDIVIDUAL = 3

export type AbnormalListing = { enterprise: number; reason: number; listedDay: number; removedDay: number }

export type SeriousListing = { enterprise: number; reason: number; listedDay: number; removedDay: number; removal: number }

export type AnnualFiling = {
  /** Per enterprise and report year, at `i * REPORT_YEARS.length + y`: the day filed, NOT_FILED or NOT_DUE. */
  filedDay: Int32Array
  abnormal: AbnormalListing[]
  serious: SeriousListing[]
}

/** 30 June of the year after `year`. */
export function reportDeadline(year: number): number {
  return dayNumber(`${year + 1}-06-30`)
}

export function planAnnualFiling(world: World, exits: EnterpriseExits): AnnualFiling {
  const { enterprises: e, places } = world
  const r = createRandom(world.seed, 'annual-filing')
  const years = REPORT_YEARS.length
  const yearEnds = REPORT_YEARS.map((year) => dayNumber(`${year}-12-31`))
  const filing: AnnualFiling = { filedDay: new Int32Array(e.count * years), abnormal: [], serious: [] }
  // registrations sharing one address: a registration agent's (集中登记地)
  const registered = new Int32Array(places.count)
  for (let i = 0; i < e.count; i++) registered[e.premises[i]!]!++
  for (let i = 0; i < e.count; i++) {
    const health = e.health[i]!
    const shell = e.shell[i] === 1
    const listable = e.type[i] !== INDIVIDUAL
    const gone = exits.exitDay[i]! >= 0 ? exits.exitDay[i]! : Infinity
    const weakness = Math.max(0, 0.6 - health)
    for (let y = 0; y < years; y++) {
      const year = REPORT_YEARS[y]!
      const deadline = reportDeadline(year)
      if (e.establishedDay[i]! > yearEnds[y]! || gone <= deadline) {
        filing.filedDay[i * years + y] = NOT_DUE
        continue
      }
      const dormant = exits.dormantFrom[i]! >= 0 && exits.dormantFrom[i]! <= deadline
      const files = r.chance(dormant ? 0.04 : shell ? 0.62 : e.type[i] === INDIVIDUAL ? 0.86 : 0.975 - 0.4 * weakness)
      let filed = NOT_FILED
      if (files) {
        if (r.chance(shell ? 0.75 : 0.94 - 0.5 * weakness)) filed = deadline - Math.floor(170 * r.next() ** 2)
        else {
          const late = deadline + 1 + Math.floor(r.exponential(120))
          if (late < AS_OF_DAY && late < gone) filed = late
        }
      }
      filing.filedDay[i * years + y] = filed
    }
    // a firm that reports a later year mostly files the years it missed with it (补报)
    let next = -1
    for (let y = years - 1; y >= 0; y--) {
      const k = i * years + y
      if (filing.filedDay[k] === NOT_FILED && next >= 0 && r.chance(0.85)) filing.filedDay[k] = next - r.int(0, 10)
      if (filing.filedDay[k]! >= 0) next = filing.filedDay[k]!
    }
    let listedOpen = false
    for (let y = 0; y < years && listable; y++) {
      const deadline = reportDeadline(REPORT_YEARS[y]!)
      const filed = filing.filedDay[i * years + y]!
      if (filed === NOT_DUE || (filed >= 0 && filed <= deadline)) continue
      const listed = deadline + r.int(5, 60)
      if (listed >= AS_OF_DAY || listed >= gone || (filed >= 0 && filed < listed) || listedOpen) continue
      const removed = filed >= 0 ? Math.min(filed + r.int(1, 20), AS_OF_DAY - 1) : -1
      filing.abnormal.push({ enterprise: i, reason: NO_REPORT, listedDay: listed, removedDay: removed })
      listedOpen = removed < 0
    }
    if (!listable) continue
    const shared = registered[e.premises[i]!]! > 1
    const unreachable = shell ? 0.3 : !shared ? 0.008 : e.micro[i] === 1 ? 0.08 : 0.04
    addListing(filing, i, UNREACHABLE, unreachable, shell ? 0.15 : 0.55)
    addListing(filing, i, CONCEALED, 0.003 + (shell ? 0.03 : 0) + 0.02 * weakness, 0.5)
    addListing(filing, i, NO_DISCLOSURE, 0.002, 0.6)
  }
  const seriouslyListed = new Uint8Array(e.count)
  for (const listing of filing.abnormal) {
    // three years on the list without putting things right: the list of serious violations
    const due = listing.listedDay + 3 * 365 + r.int(5, 60)
    const gone = exits.exitDay[listing.enterprise]!
    if ((listing.removedDay >= 0 && listing.removedDay < due) || due >= AS_OF_DAY || (gone >= 0 && due >= gone)) continue
    if (seriouslyListed[listing.enterprise] === 1) continue
    seriouslyListed[listing.enterprise] = 1
    const repaired = r.chance(0.1) ? Math.min(due + r.int(200, 700), AS_OF_DAY) : AS_OF_DAY
    filing.serious.push({ enterprise: listing.enterprise, reason: THREE_YEARS_ABNORMAL, listedDay: due, removedDay: repaired < AS_OF_DAY ? repaired : -1, removal: REPAIRED })
  }
  return filing

  function addListing(into: AnnualFiling, i: number, reason: number, chance: number, removal: number): void {
    if (!r.chance(chance)) return
    const established = e.establishedDay[i]!
    const end = Math.min(AS_OF_DAY - 20, exits.exitDay[i]! >= 0 ? exits.exitDay[i]! - 1 : AS_OF_DAY)
    const listed = r.int(Math.min(end, Math.max(established + 180, AS_OF_DAY - 6 * 365)), end)
    const removed = r.chance(removal) ? listed + r.int(20, 400) : -1
    into.abnormal.push({ enterprise: i, reason, listedDay: listed, removedDay: removed >= 0 && removed < end ? removed : -1 })
  }
}
