/**
 * 婚姻登记信息: the marriages and divorces registered in the city, from the marital status the
 * world gives each person. A couple living together married about when their first child came
 * (or in their twenties); a divorced person's marriage ended years ago, by registration (three in
 * four, as 民政部's statistics count them) or in court (then only the marriage is here); a widowed
 * person's spouse has died and left the 户籍. A married child's spouse, an ex-spouse and a dead
 * spouse are not residents here: their IDs carry the code of a place nearby.
 *
 * What is missing, as in a city's records: a marriage registered in the other spouse's city is not
 * here, nor most marriages before 1990 (paper records, few entered since); a couple under the
 * legal age (事实婚姻) never registered. What is extra: a certificate reissued (补发), and some
 * people the 户籍 still says are single married in the last three years.
 */
import { makeResidentId } from '../identifiers/index.ts'
import { AS_OF_DAY, dateOf, dayNumber } from './calendar.ts'
import { createDateCache, yearOf } from './calendar-fast.ts'
import { createRandom, createWeightedPicker, type Random } from './random.ts'
import { DISTRICTS, GIVEN_NAME_CHARS, NEIGHBOURING_ADMIN_CODES, SURNAMES } from './vocabulary.ts'
import { authorityOf } from './authorities.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

/** Population.marital */
const MARRIED = 1
const DIVORCED = 2
const WIDOWED = 3
/** Population.relation */
const SPOUSE = 1
const SON = 2
const DAUGHTER = 3
const FATHER = 4
const MOTHER = 5
const YEAR = 365.25

type Party = { readonly id: string; readonly name: string }

export function writeMarriageRegistrations(world: World, sink: TableSink): void {
  const { people, households } = world
  const r = createRandom(world.seed, 'marriage_registration')
  const out = sink.open('marriage_registration', [
    'certificate_no', 'business_type', 'registered_on', 'office', 'male_name', 'male_resident_id', 'female_name',
    'female_resident_id',
  ])
  const serial = new Map<string, number>()
  const dateOfDay = createDateCache()
  const offices = DISTRICTS.map((_, d) => authorityOf(d, '民政局婚姻登记处'))
  const outsiders = createOutsiders(r)
  const party = (p: number): Party => ({ id: people.residentId[p]!, name: people.name[p]! })
  /** A resident and a spouse from near `city`, of about their age, as (husband, his birth day, wife, her birth day). */
  const withOutsider = (p: number, city: string): [Party, number, Party, number] => {
    const born = people.birthDay[p]!
    const male = people.male[p] === 1
    const otherBorn = born + Math.round((male ? r.int(-5, 1) : r.int(-1, 5)) * YEAR) - r.int(0, 364)
    const other = outsiders.next(city, !male, otherBorn)
    return male ? [party(p), born, other, otherBorn] : [other, otherBorn, party(p), born]
  }

  /** Writes a registration of `type` on `day` in `district`, if the city's records hold it. */
  const register = (type: '结婚登记' | '离婚登记' | '补发结婚证' | '补发离婚证', day: number, district: number, husband: Party, wife: Party): void => {
    const d = DISTRICTS[district]!
    const date = dateOfDay(day)
    const year = date.slice(0, 4)
    const prefix = type === '结婚登记' ? 'J' : type === '离婚登记' ? 'L' : type === '补发结婚证' ? 'BJ' : 'BL'
    const key = `${prefix}${d.code}${year}`
    const n = (serial.get(key) ?? 0) + r.int(1, 3)
    serial.set(key, n)
    out.row([`${prefix}${d.code}-${year}-${String(n).padStart(6, '0')}`, type, date, offices[district]!, husband.name, husband.id, wife.name, wife.id])
  }

  /**
   * A marriage about `day` (once both were of age; some time before now where `day` has not come
   * yet, or before `latest`) of a man and a woman born on those days, registered here if the city's
   * records hold it: its day, or -1 when they were not both of age in time.
   */
  const marry = (day: number, district: number, husband: Party, husbandBorn: number, wife: Party, wifeBorn: number, local: boolean, latest = AS_OF_DAY - 30): number => {
    const adult = Math.max(husbandBorn + Math.ceil(22 * YEAR), wifeBorn + Math.ceil(20 * YEAR))
    if (adult >= latest) return -1
    const legal = day > latest ? r.int(adult, latest) : Math.max(day, adult)
    const year = yearOf(legal)
    if (r.chance(year < 1990 ? 0.3 : year < 2000 ? 0.6 : local ? 0.9 : 0.75)) {
      register('结婚登记', legal, district, husband, wife)
      if (r.chance(0.015)) register('补发结婚证', r.int(legal + 30, Math.max(legal + 30, AS_OF_DAY - 1)), district, husband, wife)
    }
    return legal
  }

  /** The end of a marriage on `day`: registered in three cases of four, else decided in court (and not here). */
  const divorce = (day: number, district: number, husband: Party, wife: Party): void => {
    if (!r.chance(0.75) || yearOf(day) < 1995) return
    register('离婚登记', day, district, husband, wife)
    if (r.chance(0.005)) register('补发离婚证', r.int(day + 30, Math.max(day + 30, AS_OF_DAY - 1)), district, husband, wife)
  }

  for (let h = 0; h < households.count; h++) {
    const district = households.district[h]!
    const city = DISTRICTS[district]!.city
    const first = households.firstMember[h]!
    const end = first + households.size[h]!
    const isLocal = (p: number): boolean => people.residentId[p]!.slice(0, 4) === DISTRICTS[district]!.code.slice(0, 4)
    // the eldest child of the household: its parents married before it was born
    let eldest = -1
    for (let p = first; p < end; p++) if ((people.relation[p] === SON || people.relation[p] === DAUGHTER) && (eldest < 0 || people.age[p]! > people.age[eldest]!)) eldest = p
    for (let p = first; p < end; p++) {
      const relation = people.relation[p]!
      const marital = people.marital[p]!
      const male = people.male[p] === 1
      const born = people.birthDay[p]!
      // a couple of the household, written once, from the husband's side … or the wife's when he is not here
      const partner = relation === 0 && p + 1 < end && people.relation[p + 1] === SPOUSE ? p + 1 : relation === FATHER && p + 1 < end && people.relation[p + 1] === MOTHER ? p + 1 : -1
      if (partner >= 0 && marital === MARRIED && people.marital[partner] === MARRIED) {
        const husband = male ? p : partner
        const wife = male ? partner : p
        const childBorn = relation === FATHER ? people.birthDay[first]! : eldest >= 0 ? people.birthDay[eldest]! : -1
        const day = childBorn >= 0 ? childBorn - Math.round(r.next() * 3 * YEAR) : people.birthDay[wife]! + Math.round((21 + r.exponential(4)) * YEAR)
        const married = marry(day, district, party(husband), people.birthDay[husband]!, party(wife), people.birthDay[wife]!, isLocal(husband) && isLocal(wife))
        // one in twelve married before, and divorced before this marriage
        for (const q of [husband, wife]) {
          const earlier = people.birthDay[q]! + Math.round((21 + r.exponential(2)) * YEAR)
          if (people.age[q]! < 30 || married < 0 || earlier + 2 * YEAR > married || !r.chance(0.08)) continue
          const [h1, hb1, w1, wb1] = withOutsider(q, city)
          const before = marry(earlier, district, h1, hb1, w1, wb1, false, married - 400)
          if (before >= 0) divorce(Math.min(married - 60, before + Math.round((1 + r.exponential(4)) * YEAR)), district, h1, w1)
        }
        continue
      }
      if (relation === SPOUSE || relation === MOTHER) {
        if (p - 1 >= first && (people.relation[p - 1] === 0 || people.relation[p - 1] === FATHER) && people.marital[p - 1] === MARRIED && marital === MARRIED) continue
      }
      if (people.age[p]! < 20) continue
      if (marital === MARRIED) {
        // a married child whose spouse lives elsewhere, or a spouse not in this household
        const [husband, hb, wife, wb] = withOutsider(p, city)
        marry(born + Math.round((23 + r.exponential(3)) * YEAR), district, husband, hb, wife, wb, false)
      } else if (marital === DIVORCED) {
        // divorced some years ago (six on average), after a marriage of a year or more
        const ended = AS_OF_DAY - 30 - Math.round(r.exponential(6) * YEAR)
        const [husband, hb, wife, wb] = withOutsider(p, city)
        const married = marry(Math.min(born + Math.round((22 + r.exponential(4)) * YEAR), ended - YEAR), district, husband, hb, wife, wb, false, ended - 200)
        if (married >= 0) divorce(ended, district, husband, wife)
      } else if (marital === WIDOWED) {
        const [husband, hb, wife, wb] = withOutsider(p, city)
        marry(born + Math.round((20 + r.exponential(3)) * YEAR), district, husband, hb, wife, wb, false)
      } else if (people.age[p]! >= 25 && people.age[p]! <= 38 && r.chance(0.02)) {
        // married lately; the 户籍 has not caught up
        const [husband, hb, wife, wb] = withOutsider(p, city)
        marry(r.int(AS_OF_DAY - 1000, AS_OF_DAY - 10), district, husband, hb, wife, wb, false)
      }
    }
  }
}

/** People from nearby places, with valid IDs of their birthplace, a name and a sex. */
function createOutsiders(r: Random): { next(city: string, male: boolean, birthDay: number): Party } {
  const sequence = new Map<string, number>()
  const pickSurname = createWeightedPicker(SURNAMES, (s) => s.weight)
  const earliest = dayNumber('1920-01-01')
  return {
    next(city, male, birthDay) {
      const code = r.pick(NEIGHBOURING_ADMIN_CODES[city] ?? NEIGHBOURING_ADMIN_CODES['黄石市']!)
      const birth = dateOf(Math.max(earliest, Math.min(birthDay, AS_OF_DAY - 18 * 365))).replaceAll('-', '')
      const key = `${code}${birth}${male ? 1 : 0}`
      const k = sequence.get(key) ?? 0
      sequence.set(key, k + 1)
      const seq = ((11 + 37 * k) % 500) * 2 + (male ? 1 : 0)
      const pool = male ? GIVEN_NAME_CHARS.male : GIVEN_NAME_CHARS.female
      const given = r.chance(0.78) ? r.pick(pool) + r.pick(pool) : r.pick(pool)
      return { id: makeResidentId(code, birth, seq), name: pickSurname(r).name + given }
    },
  }
}
