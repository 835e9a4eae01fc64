/**
 * 用水信息, 用气信息, 用电信息: monthly readings that follow occupancy. Vacant homes read near
 * zero, group rentals high, elderly people living alone steady and low, with occasional sudden
 * lasting drops (an incident: hospital, a fall, a move to care) that the ground truth records.
 * Ordinary households sometimes dip for one month (travel), so a detector must tell the two apart.
 */
import { UTILITY_PERIODS } from './calendar.ts'
import { createRandom } from './random.ts'
import { DISTRICTS, INDUSTRIES } from './vocabulary.ts'
import { GROUP_RENTAL, OCCUPANCY, VACANT } from './housing.ts'
import { ELDERLY_ALONE } from './population.ts'
import { isActiveStatus } from './economy.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

type Utility = {
  table: 'water_usage' | 'gas_usage' | 'power_usage'
  prefix: string
  /** Monthly seasonal factors, January first. */
  season: readonly number[]
  /** Use of an occupied home: fixed + per occupant. */
  fixed: number
  perPerson: number
  /** Standby use of an empty home. */
  idle: number
  price: number
  /** Steady use of an elderly person living alone. */
  elderly: number
  /** Share of use left after an incident. */
  afterIncident: number
}

const WATER: Utility = { table: 'water_usage', prefix: 'S', season: [0.9, 0.85, 0.92, 0.98, 1.05, 1.15, 1.25, 1.25, 1.1, 1.0, 0.95, 0.92], fixed: 1.2, perPerson: 2.9, idle: 0.2, price: 2.95, elderly: 2.2, afterIncident: 0.08 }
const GAS: Utility = { table: 'gas_usage', prefix: 'Q', season: [1.6, 1.5, 1.2, 1.0, 0.8, 0.7, 0.6, 0.6, 0.7, 0.9, 1.2, 1.5], fixed: 2.0, perPerson: 4.5, idle: 0, price: 2.98, elderly: 5.0, afterIncident: 0.03 }
const POWER: Utility = { table: 'power_usage', prefix: 'D', season: [1.25, 1.15, 0.95, 0.85, 0.9, 1.15, 1.45, 1.5, 1.1, 0.9, 0.95, 1.15], fixed: 35, perPerson: 55, idle: 8, price: 0.5653, elderly: 55, afterIncident: 0.3 }

export const UTILITIES = [WATER, GAS, POWER] as const

/** Incidents and one-month dips, decided once so that all three utilities show them together. */
export type UsageEvents = {
  /** Month index (into UTILITY_PERIODS) from which an elderly person's home goes quiet, or -1. */
  incidentMonth: Int8Array
  /** One month of travel, or -1. */
  dipMonth: Int8Array
  /** Whether the home has a gas meter. */
  gas: Uint8Array
}

export function planUsageEvents(world: World): UsageEvents {
  const { places, households, housing } = world
  const r = createRandom(world.seed, 'usage_events')
  const events: UsageEvents = {
    incidentMonth: new Int8Array(places.count).fill(-1),
    dipMonth: new Int8Array(places.count).fill(-1),
    gas: new Uint8Array(places.count),
  }
  for (let a = 0; a < places.count; a++) {
    const c = places.compound[a]!
    events.gas[a] = c >= 0 && r.chance(places.compounds[c]!.village ? 0.45 : 0.92) ? 1 : 0
    const h = housing.household[a]!
    if (h < 0 || housing.occupancy[a] === VACANT) continue
    if (households.type[h] === ELDERLY_ALONE && r.chance(0.08)) events.incidentMonth[a] = r.int(2, UTILITY_PERIODS.length - 1)
    else if (r.chance(0.04)) events.dipMonth[a] = r.int(0, UTILITY_PERIODS.length - 1)
  }
  return events
}

export function writeUtilityUsage(world: World, sink: TableSink, utility: Utility, events: UsageEvents): void {
  const { places, housing, people, households, enterprises: e } = world
  const r = createRandom(world.seed, utility.table)
  const out = sink.open(utility.table, [
    'account_no', 'meter_no', 'holder_name', 'holder_uscc', 'address_code', 'address', 'account_type', 'period',
    'usage', 'amount', 'payment_status',
  ])
  const account = (a: number): string => `${places.code[a]!.slice(0, 4)}${String(a + 1).padStart(8, '0')}`
  const meter = (a: number): string => `${utility.prefix}${places.code[a]!.slice(0, 6)}${String(a + 1).padStart(8, '0')}`
  const season = (m: number, a: number): number => {
    const northern = DISTRICTS[places.district[a]!]!.province === '山西省'
    // district heating in the north: less winter electricity, more winter gas for cooking only
    return northern && utility === POWER && (m < 2 || m > 9) ? 0.9 : utility.season[m]!
  }
  const emit = (a: number, m: number, holder: string, uscc: string | null, business: boolean, usage: number, arrears: number): void => {
    const value = Math.max(0, Math.round(usage * 100) / 100)
    out.row([
      account(a),
      meter(a),
      holder,
      uscc,
      places.code[a]!,
      places.full[a]!,
      business ? '非居民' : '居民',
      UTILITY_PERIODS[m]!,
      value,
      Math.round(value * utility.price * (business ? 1.25 : 1) * 100) / 100,
      r.chance(arrears) ? '欠费' : '已缴费',
    ])
  }
  // homes
  for (let a = 0; a < places.count; a++) {
    if (places.compound[a]! < 0) continue
    if (utility === GAS && events.gas[a] === 0) continue
    const owner = housing.owner1[a]!
    const h = housing.household[a]!
    const holder = owner >= 0 ? people.name[owner]! : h >= 0 ? people.name[households.firstMember[h]!]! : '未知'
    const occupancy = housing.occupancy[a]!
    const occupants = housing.occupants[a]!
    const elderlyAlone = h >= 0 && households.type[h] === ELDERLY_ALONE && occupancy !== VACANT
    const level = r.lognormal(0, 0.15)
    for (let m = 0; m < UTILITY_PERIODS.length; m++) {
      let usage: number
      if (occupancy === VACANT) {
        usage = r.chance(0.75) ? utility.idle * r.next() : utility.idle + utility.perPerson * 0.3 * r.next()
      } else if (elderlyAlone) {
        usage = utility.elderly * level * season(m, a) * (1 + r.normal() * 0.06)
        if (events.incidentMonth[a]! >= 0 && m >= events.incidentMonth[a]!) usage *= utility.afterIncident * (0.5 + r.next())
      } else {
        const perPerson = occupancy === GROUP_RENTAL ? utility.perPerson * 0.9 : utility.perPerson
        usage = (utility.fixed + perPerson * occupants) * level * season(m, a) * (1 + r.normal() * 0.12)
        if (events.dipMonth[a] === m) usage *= 0.15 + 0.2 * r.next()
      }
      emit(a, m, holder, null, false, usage, 0.02)
    }
  }
  // business premises: one account per premises; shells and closed firms use (almost) nothing
  const seen = new Set<number>()
  for (let i = 0; i < e.count; i++) {
    const a = e.premises[i]!
    if (seen.has(a)) continue
    seen.add(a)
    if (!isActiveStatus(e.status[i]!)) continue
    const industry = INDUSTRIES[e.industry[i]!]!
    if (utility === GAS && !['H', 'C'].includes(industry.code)) continue
    const intensity = utility === POWER ? industry.powerIntensity : 1
    const scale = e.shell[i] === 1 ? 0 : (utility === POWER ? 180 : utility === WATER ? 6 : 40) * intensity * (1 + Math.max(1, e.size[i]!) ** 0.85)
    for (let m = 0; m < UTILITY_PERIODS.length; m++) {
      const usage = e.shell[i] === 1 ? (r.chance(0.8) ? 0 : utility.idle * r.next()) : scale * season(m, a) * (1 + r.normal() * 0.15)
      emit(a, m, e.name[i]!, e.uscc[i]!, true, usage, 0.02 + 0.1 * (1 - e.health[i]!))
    }
  }
}

export function writeOccupancyTruth(world: World, sink: TableSink, events: UsageEvents): void {
  const { places, housing, people, households } = world
  const dwellings = sink.openTruth('dwelling_occupancy')
  for (let a = 0; a < places.count; a++) {
    if (places.compound[a]! < 0) continue
    dwellings.row([places.code[a]!, OCCUPANCY[housing.occupancy[a]!]!, housing.occupants[a]!])
  }
  const elderly = sink.openTruth('elderly_incident')
  for (let a = 0; a < places.count; a++) {
    const m = events.incidentMonth[a]!
    if (m < 0) continue
    const h = housing.household[a]!
    elderly.row([people.residentId[households.firstMember[h]!]!, places.code[a]!, UTILITY_PERIODS[m]!])
  }
}

