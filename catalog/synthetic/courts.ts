/**
 * Court enforcement: failing enterprises and distressed persons end up on the list of
 * dishonest judgment debtors (失信被执行人); their properties may be sealed (查封).
 */
import { AS_OF_DAY } from './calendar.ts'
import { createRandom, clamp } from './random.ts'
import type { Enterprises } from './economy.ts'
import type { Population } from './population.ts'

export type DishonestCase = {
  person: number
  enterprise: number
  filedDay: number
  publishedDay: number
  amount: number
  removedDay: number
}

export type Courts = {
  cases: DishonestCase[]
  /** 1 where the person or enterprise has a current (not removed) listing. */
  personListed: Uint8Array
  enterpriseListed: Uint8Array
}

export function generateCourts(seed: string | number, people: Population, enterprises: Enterprises): Courts {
  const r = createRandom(seed, 'courts')
  const courts: Courts = {
    cases: [],
    personListed: new Uint8Array(people.count),
    enterpriseListed: new Uint8Array(enterprises.count),
  }
  const addCase = (person: number, enterprise: number, scale: number): boolean => {
    const filed = AS_OF_DAY - r.int(60, 1800)
    const removed = r.chance(0.12) ? Math.min(AS_OF_DAY - 1, filed + r.int(120, 900)) : -1
    courts.cases.push({
      person,
      enterprise,
      filedDay: filed,
      publishedDay: filed + r.int(30, 200),
      amount: Math.round(r.lognormal(Math.log(scale), 1.1) * 100) / 100,
      removedDay: removed,
    })
    return removed === -1
  }
  for (let i = 0; i < enterprises.count; i++) {
    const risk = 1 - enterprises.health[i]!
    if (enterprises.shell[i] === 0 && r.chance(clamp(0.004 + 0.9 * Math.max(0, risk - 0.5) ** 1.1, 0, 0.7))) {
      if (addCase(-1, i, 80000)) courts.enterpriseListed[i] = 1
      if (r.chance(0.3) && addCase(-1, i, 50000)) courts.enterpriseListed[i] = 1
    }
  }
  for (let p = 0; p < people.count; p++) {
    const age = people.age[p]!
    if (age < 22 || age > 75) continue
    const risk = people.risk[p]!
    if (r.chance(clamp(0.002 + 0.25 * Math.max(0, risk - 0.6), 0, 0.2))) {
      if (addCase(p, -1, 30000)) courts.personListed[p] = 1
    }
  }
  return courts
}
