/**
 * Who lives with a disability (latent): 6.34% of the population as the second national sample
 * survey of disability (2006) found, most of them old — after sixty the frailer a person, the
 * likelier — and by type and grade in about the survey's proportions (听力 and 肢体 most common,
 * 智力 among children). Some places have more than others (mines and heavy industry, an older
 * village): a factor per township. Fewer than half hold a 残疾人证 (about 2.7% of the population):
 * the severe and the young apply, the old whose sight or hearing fades mostly do not. Own random
 * stream; the certificate's holders are what the 残联 delivers, the rest only the ground truth
 * of service need knows.
 */
import { AS_OF_DAY, dayNumber } from './calendar.ts'
import { createRandom, createWeightedPicker, clamp, type Random } from './random.ts'
import { DISTRICTS } from './vocabulary.ts'
import type { World } from './world.ts'

/** DISABILITY_TYPES index + 1; 0 none. */
export const HEARING = 2
export const PHYSICAL = 4
export const INTELLECTUAL = 5
export const MENTAL = 6
export const MULTIPLE = 7
/** Streets per district are at most this many: an area is district * MAX_STREETS + street. */
export const MAX_STREETS = 16
/** Second-generation certificates (第二代残疾人证) were issued from 2008. */
const FIRST_CERTIFICATE_DAY = dayNumber('2008-01-01')

/** Relative frequency of the seven types (视力 … 多重) in three age groups. */
const TYPE_WEIGHTS: readonly (readonly number[])[] = [
  [5, 10, 8, 25, 40, 0.5, 12], // under 15
  [12, 10, 3, 38, 10, 15, 12], // 15–59
  [17, 35, 0.5, 28, 1, 3, 15.5], // 60 and over
]
/** Chance of a certificate by grade (一级 … 四级), before age. */
const CERTIFIED_BY_GRADE = [0.85, 0.8, 0.56, 0.4]

export type Disability = {
  /** DISABILITY_TYPES index + 1, or 0. */
  type: Uint8Array
  /** 1 (一级, most severe) … 4, or 0. */
  grade: Uint8Array
  /** 1 when the person holds a 残疾人证. */
  certified: Uint8Array
  /** Day the certificate was issued, or -1. */
  certifiedDay: Int32Array
  /** 1 when the person needs services (rehabilitation, care, day care): the truth of service need. */
  needsService: Uint8Array
  /** Per area (district * MAX_STREETS + street): how much more common disability is there. */
  areaFactor: Float32Array
}

export function areaOf(world: World, p: number): number {
  const a = world.households.dwelling[world.people.household[p]!]!
  return world.places.district[a]! * MAX_STREETS + world.places.street[a]!
}

export function generateDisability(world: World): Disability {
  const { people } = world
  const r = createRandom(world.seed, 'disability')
  const n = people.count
  const d: Disability = {
    type: new Uint8Array(n),
    grade: new Uint8Array(n),
    certified: new Uint8Array(n),
    certifiedDay: new Int32Array(n).fill(-1),
    needsService: new Uint8Array(n),
    areaFactor: new Float32Array(DISTRICTS.length * MAX_STREETS),
  }
  for (let k = 0; k < d.areaFactor.length; k++) d.areaFactor[k] = r.lognormal(-0.045, 0.3)
  const pickers = TYPE_WEIGHTS.map((w) => createWeightedPicker([1, 2, 3, 4, 5, 6, 7], (t) => w[t - 1]!))
  for (let p = 0; p < n; p++) {
    const age = people.age[p]!
    const frailty = people.frailty[p]!
    const base = age < 15 ? 0.015 : age < 30 ? 0.025 : age < 45 ? 0.035 : age < 60 ? 0.06 : 0.06 + 0.45 * frailty
    if (!r.chance(clamp(base * d.areaFactor[areaOf(world, p)]!, 0, 0.9))) continue
    const type = pickers[age < 15 ? 0 : age < 60 ? 1 : 2]!(r)
    const severity = r.next() * (1 - 0.5 * frailty)
    const grade = severity < 0.1 ? 1 : severity < 0.26 ? 2 : severity < 0.57 ? 3 : 4
    d.type[p] = type
    d.grade[p] = grade
    d.needsService[p] = grade <= 2 || (grade === 3 && type >= PHYSICAL) || r.chance(0.25) ? 1 : 0
    const ageFactor = age < 60 ? 1 : type === HEARING ? 0.35 : 0.6
    if (r.chance(CERTIFIED_BY_GRADE[grade - 1]! * ageFactor)) {
      d.certified[p] = 1
      d.certifiedDay[p] = issueDay(people.birthDay[p]!, age, r)
    }
  }
  return d
}

function issueDay(birthDay: number, age: number, r: Random): number {
  // a disability of old age is certified after it came; one from childhood any time since 2008
  const onset = age >= 60 ? birthDay + Math.round(55 * 365.25) : birthDay + 180
  return r.int(Math.min(AS_OF_DAY - 30, Math.max(FIRST_CERTIFICATE_DAY, onset)), AS_OF_DAY - 30)
}
