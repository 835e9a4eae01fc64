/**
 * Administrative penalties of the market regulator over the last five years. Whom an inspection
 * finds depends more on being seen than on being weak: the larger a firm and the more it deals
 * with consumers (food, retail, catering, manufacturing), the likelier a penalty. So a sound firm
 * may well have been fined once, while a failing one-person firm that hardly trades never meets an
 * inspector; weakness adds only a little (corners cut). A grave case puts the firm on the list
 * of serious violations. Own random stream.
 */
import { AS_OF_DAY } from './calendar.ts'
import { createRandom, createWeightedPicker, type Random } from './random.ts'
import { INDUSTRIES, PENALTY_VIOLATIONS, type PenaltyViolation } from './vocabulary.ts'
import type { EnterpriseExits } from './enterprise-exits.ts'
import type { EnterpriseFinances } from './enterprise-finances.ts'
import type { World } from './world.ts'

const WINDOW_DAYS = 5 * 365
/** Industries that face consumers and inspections most. */
const INSPECTED: Readonly<Record<string, number>> = { F: 1.4, H: 1.6, C: 1.3, Q: 1.2 }
/** SERIOUS_VIOLATION_REASONS: a fine left unpaid by a failing firm. */
const REFUSED_TO_PAY = 4
/** PENALTY_KINDS: a warning carries no fine. */
const WARNING = 0

export type PenaltyCase = {
  enterprise: number
  day: number
  /** Index into PENALTY_VIOLATIONS. */
  violation: number
  fine: number
  confiscated: number
  /** The day the case put the firm on the list of serious violations, or -1; and why (SERIOUS_VIOLATION_REASONS). */
  seriousDay: number
  seriousReason: number
}

export function planPenalties(world: World, exits: EnterpriseExits, finances: EnterpriseFinances): PenaltyCase[] {
  const e = world.enterprises
  const r = createRandom(world.seed, 'penalties')
  const pickers = new Map<string, (r: Random) => number>()
  const violationOf = (industry: string): ((r: Random) => number) => {
    let pick = pickers.get(industry)
    if (pick === undefined) {
      const fitting = PENALTY_VIOLATIONS.flatMap((v, i) => (v.industries === '' || v.industries.includes(industry) ? [i] : []))
      pick = createWeightedPicker(fitting, (i) => PENALTY_VIOLATIONS[i]!.weight)
      pickers.set(industry, pick)
    }
    return pick
  }
  const cases: PenaltyCase[] = []
  for (let i = 0; i < e.count; i++) {
    const start = Math.max(e.establishedDay[i]!, AS_OF_DAY - WINDOW_DAYS)
    const end = exits.dormantFrom[i]! >= 0 ? exits.dormantFrom[i]! : exits.exitDay[i]! >= 0 ? exits.exitDay[i]! : AS_OF_DAY
    if (end <= start) continue
    const health = e.health[i]!
    const workforce = finances.workforce[i]!
    const industry = INDUSTRIES[e.industry[i]!]!.code
    const unseen = e.shell[i] === 1 ? 0.25 : health < 0.3 && workforce < 5 ? 0.4 : 1
    const perYear = (0.01 + 0.009 * Math.log1p(workforce)) * (INSPECTED[industry] ?? 0.8) * (0.75 + 0.7 * (1 - health)) * unseen
    const count = r.poisson((perYear * (end - start)) / 365)
    for (let c = 0; c < count; c++) {
      const v = violationOf(industry)(r)
      const violation: PenaltyViolation = PENALTY_VIOLATIONS[v]!
      const day = r.int(start, end - 1)
      const fine = violation.kind === WARNING ? 0 : Math.max(500, Math.round((violation.fine * r.lognormal(0, 0.6)) / 100) * 100)
      const seriousDay = day + r.int(15, 90)
      const possible = seriousDay < AS_OF_DAY && (exits.exitDay[i]! < 0 || seriousDay < exits.exitDay[i]!)
      const grave = possible && violation.serious >= 0 && r.chance(0.04 * (2 - health))
      const unpaid = possible && !grave && fine > 0 && health < 0.35 && r.chance(0.1)
      cases.push({
        enterprise: i,
        day,
        violation: v,
        fine,
        confiscated: violation.kind === 2 ? Math.round(fine * 0.3 * r.lognormal(0, 0.5)) : 0,
        seriousDay: grave || unpaid ? seriousDay : -1,
        seriousReason: grave ? violation.serious : unpaid ? REFUSED_TO_PAY : -1,
      })
    }
  }
  return cases
}
