/**
 * What each enterprise turns over, earns, owns and owes, year by year, and how many people work
 * there: latent figures that annual reports declare (with the errors of self-declaration) and a
 * bank's estimate would want. They follow the world's latent health: a sound firm grows, earns a
 * margin and owes little; a failing one shrinks, loses money and owes more than it owns. Shells
 * turn over nothing or a token sum. Own random stream: every other table stays as it was.
 */
import { createRandom, clamp, round } from './random.ts'
import { INDUSTRIES, REVENUE_PER_WORKER } from './vocabulary.ts'
import { isActiveStatus } from './economy.ts'
import type { World } from './world.ts'

/** The years annual reports cover (a year's report is due by 30 June of the next). */
export const REPORT_YEARS: readonly number[] = Object.freeze([2019, 2020, 2021, 2022, 2023, 2024])
/** Month index of December 2024 in CONTRIBUTION_PERIODS. */
const DECEMBER_2024 = 11
const INDIVIDUAL = 3

export type EnterpriseFinances = {
  /** People who work there (从业人数), insured or not. */
  workforce: Int32Array
  /** Insured persons at the end of 2024, from the employment spells. */
  insured2024: Int32Array
  /** Per enterprise and report year, at `i * REPORT_YEARS.length + y`; 万元. */
  revenue: Float64Array
  profit: Float64Array
  assets: Float64Array
  liabilities: Float64Array
  tax: Float64Array
}

export function generateEnterpriseFinances(world: World): EnterpriseFinances {
  const { enterprises: e, employment: emp, people } = world
  const r = createRandom(world.seed, 'enterprise-finances')
  const years = REPORT_YEARS.length
  const n = e.count
  const f: EnterpriseFinances = {
    workforce: new Int32Array(n),
    insured2024: new Int32Array(n),
    revenue: new Float64Array(n * years),
    profit: new Float64Array(n * years),
    assets: new Float64Array(n * years),
    liabilities: new Float64Array(n * years),
    tax: new Float64Array(n * years),
  }
  for (let p = 0; p < people.count; p++) {
    if (emp.employer1[p]! >= 0 && emp.start1[p]! <= DECEMBER_2024 && DECEMBER_2024 < emp.end1[p]!) f.insured2024[emp.employer1[p]!]!++
    else if (emp.employer2[p]! >= 0 && emp.start2[p]! <= DECEMBER_2024 && DECEMBER_2024 < emp.end2[p]!) f.insured2024[emp.employer2[p]!]!++
  }
  for (let i = 0; i < n; i++) {
    const health = e.health[i]!
    const individual = e.type[i] === INDIVIDUAL
    const shell = e.shell[i] === 1
    // enterprises gone by now had staff while they traded; the world keeps only today's headcount
    const size = isActiveStatus(e.status[i]!) ? e.size[i]! : individual ? r.int(0, 1) : Math.round(r.lognormal(Math.log(3), 0.9))
    f.workforce[i] = shell
      ? 0
      : e.micro[i] === 1
        ? 1 + r.int(0, 2)
        : individual
          ? 1 + size + r.int(0, 2)
          : Math.max(1, size + Math.round(size * r.lognormal(Math.log(0.35), 0.7)))
    const perWorker = REVENUE_PER_WORKER[INDUSTRIES[e.industry[i]!]!.code] ?? 30
    let revenue = shell
      ? r.chance(0.7) ? 0 : r.int(1, 50) / 10
      : f.workforce[i]! * perWorker * (individual ? 0.6 : 1) * (0.45 + 0.9 * health) * r.lognormal(0, 0.45)
    let assets = revenue * (0.5 + r.next()) + e.capital[i]! * 0.4
    const leverage = clamp(0.25 + 0.6 * (1 - health) + r.normal() * 0.12, 0.02, 1.6)
    // from 2024 backwards: a sound firm grew into this year's figures, a failing one shrank into them
    for (let y = years - 1; y >= 0; y--) {
      const k = i * years + y
      const margin = shell ? -0.2 : 0.03 + 0.35 * (health - 0.62) + r.normal() * 0.06
      f.revenue[k] = round(revenue)
      f.profit[k] = round(shell ? -r.int(0, 30) / 10 : revenue * margin)
      f.assets[k] = round(assets)
      f.liabilities[k] = round(assets * clamp(leverage + r.normal() * 0.03, 0, 1.8))
      f.tax[k] = round(revenue * (margin > 0 ? 0.025 + 0.02 * r.next() : 0.01))
      const growth = clamp(0.02 + 0.3 * (health - 0.65) + r.normal() * 0.12, -0.6, 1)
      revenue /= 1 + growth
      assets /= 1 + 0.6 * growth
    }
  }
  return f
}
