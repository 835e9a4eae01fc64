/** 标准地址信息, 不动产信息, 权利人信息, 抵押权信息, 房屋租赁登记备案信息. */
import { dateOf } from './calendar.ts'
import { createRandom } from './random.ts'
import { BANK_BRANCH_LOCALITIES, DISTRICTS, MORTGAGEES } from './vocabulary.ts'
import { ADDRESS_TYPES, compoundName } from './places.ts'
import { RIGHT_NATURES } from './housing.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

const PROVINCE_SHORT: Readonly<Record<string, string>> = { 安徽省: '皖', 湖北省: '鄂', 山西省: '晋' }

export function writeStandardAddress(world: World, sink: TableSink): void {
  const { places } = world
  const out = sink.open('standard_address', [
    'address_code', 'district_code', 'district_name', 'street', 'road', 'house_no', 'compound', 'building', 'unit',
    'room', 'full_address', 'address_type', 'longitude', 'latitude',
  ])
  for (let a = 0; a < places.count; a++) {
    const d = DISTRICTS[places.district[a]!]!
    const c = places.compound[a]!
    const village = c >= 0 && places.compounds[c]!.village
    out.row([
      places.code[a]!,
      d.code,
      d.name,
      d.streets[places.street[a]!]!,
      village ? places.compounds[c]!.name : d.roads[places.road[a]!]!,
      `${places.houseNo[a]!}号`,
      compoundName(places, a),
      places.building[a]! > 0 ? (village ? `${places.building[a]!}组` : `${places.building[a]!}栋`) : null,
      places.unit[a]! > 0 ? `${places.unit[a]!}单元` : null,
      places.room[a]! > 0 ? (village ? `${places.room[a]!}号` : `${places.room[a]!}室`) : null,
      places.full[a]!,
      ADDRESS_TYPES[places.type[a]!]!,
      places.longitude[a]!,
      places.latitude[a]!,
    ])
  }
}

/** GB/T 37346 不动产单元代码: county(6) 地籍区(3) 地籍子区(3) 宗地特征码(2) 宗地顺序号(5) 定着物(1) 单元号(8). */
export function unitNo(world: World, a: number): string {
  const { places } = world
  const d = DISTRICTS[places.district[a]!]!
  const c = places.compound[a]!
  const parcel = c >= 0 ? c + 1 : 50000 + (a % 49999)
  return `${d.code}${String(places.street[a]! + 1).padStart(3, '0')}${String((c >= 0 ? c : a) % 997 + 1).padStart(3, '0')}GB${String(parcel % 100000).padStart(5, '0')}F${String(a + 1).padStart(8, '0')}`
}

function isRegistered(world: World, a: number): boolean {
  const h = world.housing
  return h.owner1[a]! >= 0 || h.ownerEnterprise[a]! >= 0
}

export function writeRealEstate(world: World, sink: TableSink): void {
  const { places, housing } = world
  const out = sink.open('real_estate', [
    'unit_no', 'certificate_no', 'address_code', 'address', 'district_code', 'compound', 'use', 'building_area',
    'right_type', 'right_nature', 'registered_on', 'status',
  ])
  for (let a = 0; a < places.count; a++) {
    if (!isRegistered(world, a)) continue
    const d = DISTRICTS[places.district[a]!]!
    const registered = housing.registeredDay[a]!
    const year = new Date(registered * 86400000).getUTCFullYear()
    const certCity = d.name.endsWith('县') ? d.name : d.name === '大冶市' ? '大冶市' : d.city
    const sealed =
      (housing.owner1[a]! >= 0 && world.courts.personListed[housing.owner1[a]!] === 1) ||
      (housing.ownerEnterprise[a]! >= 0 && world.courts.enterpriseListed[housing.ownerEnterprise[a]!] === 1)
    out.row([
      unitNo(world, a),
      `${PROVINCE_SHORT[d.province] ?? '皖'}（${year}）${certCity}不动产权第${String(a + 1).padStart(7, '0')}号`,
      places.code[a]!,
      places.full[a]!,
      d.code,
      compoundName(places, a),
      ADDRESS_TYPES[places.type[a]!]!,
      Math.round(places.area[a]! * 100) / 100,
      '国有建设用地使用权/房屋所有权',
      RIGHT_NATURES[housing.rightNature[a]!]!,
      dateOf(registered),
      sealed ? '查封' : '现势',
    ])
  }
}

export function writePropertyRightHolders(world: World, sink: TableSink): void {
  const { places, housing, people, enterprises } = world
  const out = sink.open('property_right_holder', [
    'unit_no', 'holder_seq', 'holder_type', 'holder_name', 'holder_resident_id', 'holder_uscc', 'share_mode', 'share',
    'registered_on',
  ])
  for (let a = 0; a < places.count; a++) {
    if (!isRegistered(world, a)) continue
    const unit = unitNo(world, a)
    const day = dateOf(housing.registeredDay[a]!)
    const company = housing.ownerEnterprise[a]!
    if (company >= 0) {
      out.row([unit, 1, '企业', enterprises.name[company]!, null, enterprises.uscc[company]!, '单独所有', 1, day])
      continue
    }
    const joint = housing.owner2[a]! >= 0
    for (const [seq, p] of (joint ? [housing.owner1[a]!, housing.owner2[a]!] : [housing.owner1[a]!]).entries()) {
      out.row([unit, seq + 1, '个人', people.name[p]!, people.residentId[p]!, null, joint ? '共同共有' : '单独所有', joint ? null : 1, day])
    }
  }
}

export function writeMortgages(world: World, sink: TableSink): void {
  const { places, housing, people, enterprises } = world
  const out = sink.open('mortgage', [
    'mortgage_no', 'unit_no', 'mortgagor_name', 'mortgagor_resident_id', 'mortgagor_uscc', 'mortgagee_name',
    'mortgagee_class', 'mortgage_type', 'secured_amount', 'debt_start', 'debt_end', 'registered_on', 'status',
    'cancelled_on',
  ])
  housing.mortgages.forEach((m, i) => {
    const d = DISTRICTS[places.district[m.address]!]!
    const bank = MORTGAGEES[m.bank]!
    const year = new Date(m.startDay * 86400000).getUTCFullYear()
    const company = m.enterprise >= 0
    out.row([
      `${PROVINCE_SHORT[d.province] ?? '皖'}（${year}）${d.name}不动产证明第${String(i + 1).padStart(7, '0')}号`,
      unitNo(world, m.address),
      company ? enterprises.name[m.enterprise]! : people.name[m.person]!,
      company ? null : people.residentId[m.person]!,
      company ? enterprises.uscc[m.enterprise]! : null,
      bank.branchPerCity ? `${bank.headName}${BANK_BRANCH_LOCALITIES[d.city] ?? ''}` : bank.headName,
      bank.mortgageeClass,
      m.maximum ? '最高额抵押' : '一般抵押',
      Math.round(m.amount * 100) / 100,
      dateOf(m.startDay),
      dateOf(m.endDay),
      dateOf(m.startDay),
      m.cancelledDay >= 0 ? '已注销' : '有效',
      m.cancelledDay >= 0 ? dateOf(m.cancelledDay) : null,
    ])
  })
}

export function writeRentalRegistration(world: World, sink: TableSink): void {
  const { places, housing, people } = world
  const r = createRandom(world.seed, 'rental_registration')
  const out = sink.open('rental_registration', [
    'filing_no', 'unit_no', 'address_code', 'address', 'lessor_name', 'lessor_resident_id', 'lessee_name',
    'lessee_resident_id', 'lessee_phone', 'start_on', 'end_on', 'monthly_rent', 'area', 'occupants', 'purpose',
    'filed_on',
  ])
  housing.rentals.forEach((f, i) => {
    const d = DISTRICTS[places.district[f.address]!]!
    const filed = f.startDay + r.int(0, 25)
    out.row([
      `ZL${d.code}${new Date(filed * 86400000).getUTCFullYear()}${String(i + 1).padStart(7, '0')}`,
      unitNo(world, f.address),
      places.code[f.address]!,
      places.full[f.address]!,
      people.name[f.lessor]!,
      people.residentId[f.lessor]!,
      people.name[f.lessee]!,
      people.residentId[f.lessee]!,
      people.phone[f.lessee] ?? null,
      dateOf(f.startDay),
      dateOf(f.endDay),
      f.rent,
      Math.round(places.area[f.address]! * 100) / 100,
      f.occupants,
      f.business ? '经营' : '居住',
      dateOf(filed),
    ])
  })
}
