/** 户籍信息, 老年人基础信息, 车辆信息. */
import { makePlate } from '../identifiers/index.ts'
import { AS_OF_DAY, dateOf } from './calendar.ts'
import { createRandom, createWeightedPicker, type Random } from './random.ts'
import {
  DISTRICTS,
  ETHNICITIES,
  ELDERLY_CARE_LEVELS,
  ELDERLY_INSTITUTION_NAME_PARTS,
  VEHICLE_BRANDS,
  COMMERCIAL_VEHICLE_BRANDS,
  VEHICLE_COLORS,
  VEHICLE_TYPES,
} from './vocabulary.ts'
import { EDUCATION_NAMES, HOUSEHOLD_TYPES, MARITAL_NAMES, RELATIONS } from './population.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'
import { isActiveStatus } from './economy.ts'

export function writeHouseholdRegistration(world: World, sink: TableSink): void {
  const { people, households, places } = world
  const r = createRandom(world.seed, 'household_registration')
  const out = sink.open('household_registration', [
    'resident_id', 'name', 'sex', 'ethnicity', 'birth_date', 'household_no', 'relation_to_head', 'address_code',
    'address', 'district_code', 'education', 'marital_status', 'phone', 'registered_on', 'status',
  ])
  for (let p = 0; p < people.count; p++) {
    const h = people.household[p]!
    const a = households.dwelling[h]!
    const born = people.birthDay[p]!
    const movedIn = people.residentId[p]!.slice(0, 6) === DISTRICTS[households.district[h]!]!.code ? born : born + r.int(18 * 365, Math.max(18 * 365 + 1, AS_OF_DAY - born - 30))
    const edu = people.education[p]!
    out.row([
      people.residentId[p]!,
      people.name[p]!,
      people.male[p] === 1 ? '男' : '女',
      ETHNICITIES[people.ethnicity[p]!]!.name,
      dateOf(born),
      households.householdNo[h]!,
      RELATIONS[people.relation[p]!]!,
      places.code[a]!,
      places.full[a]!,
      DISTRICTS[households.district[h]!]!.code,
      edu === 255 ? null : EDUCATION_NAMES[edu]!,
      people.age[p]! < 18 ? null : MARITAL_NAMES[people.marital[p]!]!,
      people.phone[p] ?? null,
      dateOf(Math.min(movedIn, AS_OF_DAY - 1)),
      people.moved[p] === 1 ? '迁出' : '正常',
    ])
  }
}

export function writeElderlyInfo(world: World, sink: TableSink): void {
  const { people, households, places, housing } = world
  const r = createRandom(world.seed, 'elderly_info')
  const out = sink.open('elderly_info', [
    'resident_id', 'name', 'sex', 'birth_date', 'address_code', 'district_code', 'living_arrangement', 'care_level',
    'subsidy', 'institution_name', 'emergency_contact_name', 'emergency_contact_phone', 'registered_on',
  ])
  for (let p = 0; p < people.count; p++) {
    const age = people.age[p]!
    if (age < 60) continue
    const h = people.household[p]!
    const type = HOUSEHOLD_TYPES[households.type[h]!]!
    const inInstitution = housing.institution[h] === 1
    const arrangement = inInstitution
      ? '入住养老机构'
      : households.size[h] === 1
        ? '独居'
        : type === 'three_generations'
          ? '与子女同住'
          : '与配偶同住'
    // the assessed care level follows frailty, as an assessment does: with some error
    const assessed = people.frailty[p]! + r.normal() * 0.1
    const care = ELDERLY_CARE_LEVELS[assessed < 0.45 ? 0 : assessed < 0.6 ? 1 : assessed < 0.72 ? 2 : assessed < 0.85 ? 3 : 4]!.name
    const subsidy = age >= 80 ? '高龄津贴' : care.includes('重度') || care.includes('完全') ? '失能老年人护理补贴' : r.chance(0.06) ? '经济困难老年人服务补贴' : '无'
    const d = DISTRICTS[households.district[h]!]!
    // the emergency contact: a household member, else a relative elsewhere with the same surname
    const first = households.firstMember[h]!
    let contact = -1
    for (let q = first; q < first + households.size[h]!; q++) if (q !== p && people.age[q]! < 70 && people.age[q]! >= 18) contact = q
    const contactName = contact >= 0 ? people.name[contact]! : r.chance(0.8) ? people.name[p]!.slice(0, 1) + r.pick(['伟', '军', '芳', '丽', '强', '敏', '静', '磊', '勇', '艳']) : null
    const contactPhone = contact >= 0 ? people.phone[contact] ?? null : contactName === null ? null : `1${r.pick(['3', '5', '8'])}${String(r.int(0, 999_999_999)).padStart(9, '0')}`
    out.row([
      people.residentId[p]!,
      people.name[p]!,
      people.male[p] === 1 ? '男' : '女',
      dateOf(people.birthDay[p]!),
      places.code[households.dwelling[h]!]!,
      d.code,
      arrangement,
      care,
      subsidy,
      inInstitution ? institutionName(d, r) : null,
      contactName,
      contactPhone,
      dateOf(people.birthDay[p]! + Math.round(60 * 365.25) + r.int(0, 200)),
    ])
  }
}

function institutionName(d: (typeof DISTRICTS)[number], r: Random): string {
  const parts = ELDERLY_INSTITUTION_NAME_PARTS
  const towns = d.streets.filter((s) => !s.endsWith('街道'))
  const subdistricts = d.streets.filter((s) => s.endsWith('街道'))
  return r
    .pick(parts.patterns)
    .replace('{town}', towns.length > 0 ? r.pick(towns) : d.name)
    .replace('{subdistrict}', subdistricts.length > 0 ? r.pick(subdistricts).replace('街道', '') : d.name)
    .replace('{city}', d.city)
    .replace('{district}', d.name)
    .replace('{prefix}', r.pick(parts.prefixes))
    .replace('{suffix}', r.pick(parts.suffixes))
}

const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'

export function writeVehicles(world: World, sink: TableSink): void {
  const { people, households, enterprises, courts } = world
  const r = createRandom(world.seed, 'vehicle')
  const pickColor = createWeightedPicker(VEHICLE_COLORS, (c) => c.weight)
  const passenger = VEHICLE_TYPES.filter((t) => !t.commercial)
  const goods = VEHICLE_TYPES.filter((t) => t.commercial)
  const pickPassenger = createWeightedPicker(passenger, (t) => t.weight)
  const pickGoods = createWeightedPicker(goods, (t) => t.weight)
  const out = sink.open('vehicle', [
    'plate', 'plate_type', 'vehicle_type', 'brand', 'color', 'owner_name', 'owner_resident_id', 'owner_uscc',
    'registered_on', 'status',
  ])
  const used = new Set<string>()
  const plate = (district: number, electric: boolean): string => {
    const prefix = DISTRICTS[district]!.cityPlatePrefix
    for (;;) {
      let tail: string
      if (electric) tail = r.pick(['D', 'F']) + String(r.int(0, 99999)).padStart(5, '0')
      else {
        const chars = [...String(r.int(0, 99999)).padStart(5, '0')]
        if (r.chance(0.5)) chars[r.int(0, 4)] = PLATE_LETTERS[r.int(0, PLATE_LETTERS.length - 1)]!
        tail = chars.join('')
      }
      const value = makePlate(prefix.slice(0, 1), prefix.slice(1), tail)
      if (!used.has(value)) {
        used.add(value)
        return value
      }
    }
  }
  const status = (listed: boolean): string => (listed && r.chance(0.3) ? '查封' : r.chance(0.05) ? '抵押' : r.chance(0.03) ? '逾期未检验' : '正常')
  for (let p = 0; p < people.count; p++) {
    const age = people.age[p]!
    if (age < 22 || age > 75 || !r.chance(Math.min(0.7, 0.18 * people.income[p]! + 0.05))) continue
    const district = households.district[people.household[p]!]!
    const registered = AS_OF_DAY - r.int(30, 15 * 365)
    const electric = registered > AS_OF_DAY - 4 * 365 && r.chance(0.35)
    const type = pickPassenger(r)
    out.row([
      plate(district, electric),
      electric ? '小型新能源汽车' : '小型汽车',
      type.name,
      r.pick(VEHICLE_BRANDS),
      pickColor(r).name,
      people.name[p]!,
      people.residentId[p]!,
      null,
      dateOf(registered),
      status(world.courts.personListed[p] === 1),
    ])
  }
  for (let i = 0; i < enterprises.count; i++) {
    if (enterprises.shell[i] === 1 || !isActiveStatus(enterprises.status[i]!) || !r.chance(0.25)) continue
    const n = r.int(1, Math.min(6, 1 + Math.floor(enterprises.size[i]! / 10)))
    for (let k = 0; k < n; k++) {
      const commercial = r.chance(0.5)
      const type = commercial ? pickGoods(r) : pickPassenger(r)
      const big = type.name.startsWith('重型') || type.name.startsWith('中型') || type.name.startsWith('大型')
      out.row([
        plate(enterprises.district[i]!, false),
        big ? '大型汽车' : '小型汽车',
        type.name,
        commercial ? r.pick(COMMERCIAL_VEHICLE_BRANDS) : r.pick(VEHICLE_BRANDS),
        pickColor(r).name,
        enterprises.name[i]!,
        null,
        enterprises.uscc[i]!,
        dateOf(AS_OF_DAY - r.int(30, 10 * 365)),
        status(courts.enterpriseListed[i] === 1),
      ])
    }
  }
}

