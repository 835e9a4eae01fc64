/**
 * Households and persons (户籍): household types drive sizes, ages and relations; every person
 * gets a GB 11643 resident ID whose administrative code is mostly the district they live in.
 */
import { makeResidentId } from '../identifiers/index.ts'
import { AS_OF_DAY, dateOf } from './calendar.ts'
import { createRandom, createWeightedPicker, clamp, type Random } from './random.ts'
import { DISTRICTS, SURNAMES, GIVEN_NAME_CHARS, ETHNICITIES } from './vocabulary.ts'

/** Household types; ages are on the as-of day. */
export const HOUSEHOLD_TYPES = [
  'single_young',
  'couple_young',
  'family',
  'three_generations',
  'middle_couple',
  'single_middle',
  'elderly_couple',
  'elderly_alone',
] as const
const TYPE_WEIGHTS = [0.1, 0.09, 0.3, 0.12, 0.13, 0.07, 0.11, 0.08]
export const ELDERLY_ALONE = HOUSEHOLD_TYPES.indexOf('elderly_alone')

export const RELATIONS = ['户主', '配偶', '子', '女', '父亲', '母亲'] as const
const HEAD = 0
const SPOUSE = 1
const SON = 2
const DAUGHTER = 3
const FATHER = 4
const MOTHER = 5

export type Population = {
  count: number
  household: Int32Array
  relation: Uint8Array
  /** 1 male, 0 female */
  male: Uint8Array
  birthDay: Int32Array
  age: Uint8Array
  residentId: string[]
  name: string[]
  phone: (string | null)[]
  ethnicity: Uint16Array
  /** 0 未婚 1 已婚 2 离婚 3 丧偶 */
  marital: Uint8Array
  /** 0 小学 1 初中 2 高中/中专 3 大专 4 本科 5 研究生, or 255 for small children */
  education: Uint8Array
  /** Personal financial risk, 0 (sound) … 1 (distressed): latent, never stored as a field. */
  risk: Float32Array
  /** Income level relative to the median (log-normal). */
  income: Float32Array
  /** Frailty of a person aged 60 or more, 0 (fit) … 1 (bedridden): latent, shows in the care level and in incidents. */
  frailty: Float32Array
  moved: Uint8Array
}

export type Households = {
  count: number
  district: Uint16Array
  type: Uint8Array
  firstMember: Int32Array
  size: Uint8Array
  /** Address index of the dwelling the household lives in (set by the property phase). */
  dwelling: Int32Array
  /** 0 owner-occupier, 1 tenant */
  tenant: Uint8Array
  householdNo: string[]
}

export const EDUCATION_NAMES = ['小学', '初中', '高中（中专）', '大学专科', '大学本科', '研究生'] as const
export const MARITAL_NAMES = ['未婚', '已婚', '离婚', '丧偶'] as const

export function generatePopulation(seed: string | number, persons: number): { people: Population; households: Households } {
  const r = createRandom(seed, 'population')
  const pickDistrict = createWeightedPicker(
    DISTRICTS.map((_, i) => i),
    (i) => DISTRICTS[i]!.population,
  )
  const pickType = createWeightedPicker(
    HOUSEHOLD_TYPES.map((_, i) => i),
    (i) => TYPE_WEIGHTS[i]!,
  )
  const pickSurname = createWeightedPicker(SURNAMES, (s) => s.weight)
  const pickEthnicity = createWeightedPicker(
    ETHNICITIES.map((_, i) => i),
    (i) => ETHNICITIES[i]!.weight,
  )
  const maxHouseholds = Math.ceil(persons / 1.2) + 8
  const households: Households = {
    count: 0,
    district: new Uint16Array(maxHouseholds),
    type: new Uint8Array(maxHouseholds),
    firstMember: new Int32Array(maxHouseholds),
    size: new Uint8Array(maxHouseholds),
    dwelling: new Int32Array(maxHouseholds).fill(-1),
    tenant: new Uint8Array(maxHouseholds),
    householdNo: [],
  }
  const people: Population = {
    count: 0,
    household: new Int32Array(persons),
    relation: new Uint8Array(persons),
    male: new Uint8Array(persons),
    birthDay: new Int32Array(persons),
    age: new Uint8Array(persons),
    residentId: new Array<string>(persons),
    name: new Array<string>(persons),
    phone: new Array<string | null>(persons),
    ethnicity: new Uint16Array(persons),
    marital: new Uint8Array(persons),
    education: new Uint8Array(persons),
    risk: new Float32Array(persons),
    income: new Float32Array(persons),
    frailty: new Float32Array(persons),
    moved: new Uint8Array(persons),
  }
  const idSequence = new Map<number, number>()
  let phoneCounter = 0

  while (people.count < persons) {
    const h = households.count++
    const district = pickDistrict(r)
    const type = pickType(r)
    households.district[h] = district
    households.type[h] = type
    households.firstMember[h] = people.count
    households.householdNo[h] = `${DISTRICTS[district]!.code.slice(0, 4)}${String(h + 1).padStart(9, '0')}`
    const familyName = pickSurname(r).name
    const members = planMembers(HOUSEHOLD_TYPES[type]!, r)
    let size = 0
    for (const m of members) {
      if (people.count >= persons) break
      const p = people.count++
      size++
      people.household[p] = h
      people.relation[p] = m.relation
      people.male[p] = m.male ? 1 : 0
      const birthDay = AS_OF_DAY - Math.floor((m.age + r.next()) * 365.25)
      people.birthDay[p] = birthDay
      people.age[p] = m.age
      // 85% were born where they live; the rest elsewhere in the four cities
      const origin = r.chance(m.age >= 60 ? 0.93 : 0.85) ? district : pickDistrict(r)
      people.residentId[p] = nextResidentId(idSequence, origin, birthDay, m.male)
      const surname = m.relation === SPOUSE || m.relation === FATHER || m.relation === MOTHER ? pickSurname(r).name : familyName
      people.name[p] = surname + givenName(m.male, r)
      people.ethnicity[p] = pickEthnicity(r)
      people.marital[p] = m.marital
      people.education[p] = education(m.age, r)
      const hasPhone = m.age >= 12 && r.chance(m.age < 18 ? 0.6 : m.age > 80 ? 0.7 : 0.96)
      people.phone[p] = hasPhone ? mobile(phoneCounter++, r) : null
      // personal risk: most people sound, a long tail distressed
      people.risk[p] = clamp(r.next() ** 3 + (m.age < 30 ? 0.05 : 0) + r.normal() * 0.05, 0, 1)
      people.income[p] = r.lognormal(0, 0.45)
      people.frailty[p] = m.age < 60 ? 0 : clamp(((m.age - 60) / 40) ** 1.5 + r.normal() * 0.15 + (r.chance(0.06) ? 0.35 : 0), 0, 1)
      people.moved[p] = r.chance(0.01) ? 1 : 0
    }
    households.size[h] = size
  }
  return { people, households }
}

type PlannedMember = { relation: number; male: boolean; age: number; marital: number }

function planMembers(type: (typeof HOUSEHOLD_TYPES)[number], r: Random): PlannedMember[] {
  const married = 1
  const headMale = r.chance(0.78)
  const couple = (minAge: number, maxAge: number): PlannedMember[] => {
    const age = r.int(minAge, maxAge)
    const spouseAge = clamp(age + r.int(-4, 3), 20, 99)
    return [
      { relation: HEAD, male: headMale, age, marital: married },
      { relation: SPOUSE, male: !headMale, age: spouseAge, marital: married },
    ]
  }
  const children = (parentAge: number, count: number): PlannedMember[] =>
    Array.from({ length: count }, () => {
      const male = r.chance(0.52)
      const age = clamp(parentAge - r.int(22, 34), 0, 40)
      return { relation: male ? SON : DAUGHTER, male, age, marital: age > 26 && r.chance(0.3) ? married : 0 }
    })
  switch (type) {
    case 'single_young':
      return [{ relation: HEAD, male: r.chance(0.55), age: r.int(20, 39), marital: r.chance(0.9) ? 0 : 2 }]
    case 'couple_young':
      return couple(23, 38)
    case 'family': {
      const parents = couple(28, 55)
      return [...parents, ...children(parents[0]!.age, r.chance(0.55) ? 1 : 2)]
    }
    case 'three_generations': {
      const parents = couple(30, 55)
      const elders: PlannedMember[] = []
      const elderAge = clamp(parents[0]!.age + r.int(24, 32), 55, 99)
      if (r.chance(0.6)) elders.push({ relation: FATHER, male: true, age: elderAge, marital: married })
      elders.push({ relation: MOTHER, male: false, age: clamp(elderAge - r.int(0, 4), 55, 99), marital: elders.length > 0 ? married : 3 })
      // one in five is a large family (rural, several grown children still at home): as many
      // people, as much water and power as a group rental, all of them registered at the address
      const count = r.chance(0.2) ? r.int(3, 5) : r.chance(0.6) ? 1 : 2
      return [...parents, ...children(parents[0]!.age, count), ...elders]
    }
    case 'middle_couple':
      return couple(45, 66)
    case 'single_middle':
      return [{ relation: HEAD, male: r.chance(0.55), age: r.int(40, 64), marital: r.pick([0, 2, 2, 3]) }]
    case 'elderly_couple':
      return couple(62, 88)
    case 'elderly_alone':
      return [{ relation: HEAD, male: r.chance(0.35), age: r.int(65, 96), marital: r.chance(0.75) ? 3 : r.pick([0, 2]) }]
  }
}

function nextResidentId(sequence: Map<number, number>, district: number, birthDay: number, male: boolean): string {
  const key = (district * 60000 + birthDay + 30000) * 2 + (male ? 1 : 0)
  const k = sequence.get(key) ?? 0
  sequence.set(key, k + 1)
  // 37 is prime to 500: the first 500 persons of a (place, birthday, sex) get distinct sequences
  const seq = ((7 + 37 * k) % 500) * 2 + (male ? 1 : 0)
  const birth = dateOf(birthDay).replaceAll('-', '')
  return makeResidentId(DISTRICTS[district]!.code, birth, seq)
}

function givenName(male: boolean, r: Random): string {
  const pool = r.chance(0.8) ? (male ? GIVEN_NAME_CHARS.male : GIVEN_NAME_CHARS.female) : GIVEN_NAME_CHARS.neutral
  return r.chance(0.78) ? r.pick(pool) + r.pick(pool) : r.pick(pool)
}

const MOBILE_SEGMENTS = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '166', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '199']

/** Distinct subscriber numbers: 48271 is prime to 10^8, so counter → subscriber is a bijection. */
export function mobile(counter: number, r: Random): string {
  const subscriber = (counter * 48271 + 31_415_926) % 100_000_000
  return r.pick(MOBILE_SEGMENTS) + String(subscriber).padStart(8, '0')
}

function education(age: number, r: Random): number {
  if (age < 7) return 255
  if (age < 13) return 0
  if (age < 16) return 1
  if (age < 19) return 2
  const x = r.next()
  if (age >= 60) return x < 0.35 ? 0 : x < 0.7 ? 1 : x < 0.88 ? 2 : x < 0.95 ? 3 : 4
  if (age >= 40) return x < 0.12 ? 0 : x < 0.45 ? 1 : x < 0.72 ? 2 : x < 0.86 ? 3 : x < 0.98 ? 4 : 5
  return x < 0.03 ? 0 : x < 0.2 ? 1 : x < 0.45 ? 2 : x < 0.7 ? 3 : x < 0.95 ? 4 : 5
}
