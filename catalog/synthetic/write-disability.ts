/**
 * 残疾人信息数据: the holders of a 残疾人证 (disability.ts), as the 残联 keeps them: the certificate
 * number (the resident ID followed by the type and the grade digit), the address of the
 * household, a guardian for a child or a person with an intellectual or mental disability, the
 * two subsidies (困难残疾人生活补贴 for the poor, 重度残疾人护理补贴 for the severe) and the need the
 * 残联's survey recorded. A holder who moved away mostly still stands at the old address as valid.
 */
import { dateOf } from './calendar.ts'
import { createRandom, type Random } from './random.ts'
import { DISABILITY_GRADES, DISABILITY_SERVICE_NEEDS, DISABILITY_TYPES, DISTRICTS } from './vocabulary.ts'
import { INTELLECTUAL, MENTAL, MULTIPLE, PHYSICAL, type Disability } from './disability.ts'
import { NO_ASSISTANCE, type HouseholdIncome } from './household-income.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

/** DISABILITY_SERVICE_NEEDS */
const REHABILITATION = 0
const AIDS = 1
const DAY_CARE = 2
const HOME_CARE = 3
const NONE = 4

export function writeDisabledPersons(world: World, sink: TableSink, disability: Disability, income: HouseholdIncome): void {
  const { people, households, places } = world
  const r = createRandom(world.seed, 'disabled_person')
  const out = sink.open('disabled_person', [
    'resident_id', 'name', 'sex', 'birth_date', 'certificate_no', 'disability_type', 'disability_grade', 'address_code',
    'address', 'district_code', 'issued_on', 'status', 'guardian_name', 'guardian_phone', 'living_subsidy',
    'care_subsidy', 'service_need',
  ])
  for (let p = 0; p < people.count; p++) {
    if (disability.certified[p] === 0) continue
    const h = people.household[p]!
    const a = households.dwelling[h]!
    const type = disability.type[p]!
    const grade = disability.grade[p]!
    const guarded = people.age[p]! < 18 || type === INTELLECTUAL || type === MENTAL || type === MULTIPLE
    const guardian = guarded ? guardianOf(world, p) : -1
    const severeMind = grade === 3 && (type === INTELLECTUAL || type === MENTAL)
    out.row([
      people.residentId[p]!,
      people.name[p]!,
      people.male[p] === 1 ? '男' : '女',
      dateOf(people.birthDay[p]!),
      `${people.residentId[p]!}${type}${grade}`,
      DISABILITY_TYPES[type - 1]!,
      DISABILITY_GRADES[grade - 1]!,
      places.code[a]!,
      places.full[a]!,
      DISTRICTS[places.district[a]!]!.code,
      dateOf(disability.certifiedDay[p]!),
      people.moved[p] === 1 && r.chance(0.4) ? '迁出' : '有效',
      guardian >= 0 ? people.name[guardian]! : null,
      guardian >= 0 ? people.phone[guardian] ?? null : null,
      income.assistance[h] !== NO_ASSISTANCE ? r.chance(0.92) : r.chance(0.01),
      grade <= 2 ? r.chance(0.9) : severeMind ? r.chance(0.6) : false,
      DISABILITY_SERVICE_NEEDS[recordedNeed(disability.needsService[p] === 1, type, grade, people.age[p]!, r)]!,
    ])
  }
}

/** A household member of working age to answer for the person, or -1 (none at home). */
function guardianOf(world: World, p: number): number {
  const { people, households } = world
  const h = people.household[p]!
  const first = households.firstMember[h]!
  for (let q = first; q < first + households.size[h]!; q++) if (q !== p && people.age[q]! >= 20 && people.age[q]! < 70) return q
  return -1
}

/** What the survey wrote down: usually the need there is, sometimes none where there is one, now and then one where there is none. */
function recordedNeed(needs: boolean, type: number, grade: number, age: number, r: Random): number {
  if (needs ? r.chance(0.15) : !r.chance(0.08)) return NONE
  if (age >= 60 && grade <= 2) return HOME_CARE
  if ((type === INTELLECTUAL || type === MENTAL) && age >= 16 && grade <= 2) return DAY_CARE
  if (type === PHYSICAL || age < 16 || type === INTELLECTUAL) return r.chance(0.7) ? REHABILITATION : AIDS
  return r.chance(0.6) ? AIDS : REHABILITATION
}
