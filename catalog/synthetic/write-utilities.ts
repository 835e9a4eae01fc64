/**
 * 用水信息, 用气信息, 用电信息: monthly readings that follow occupancy. Vacant homes read near
 * zero, group rentals high, elderly people living alone steady and low, with occasional sudden
 * lasting drops (an incident: hospital, a fall, a move to care) that the ground truth records.
 * Ordinary households sometimes dip for one month (travel), so a detector must tell the two apart.
 */
import { UTILITY_PERIODS } from './calendar.ts'
import { createRandom, type Random } from './random.ts'
import { DISTRICTS, INDUSTRIES } from './vocabulary.ts'
import { GROUP_RENTAL, OCCUPANCY, RENTED, VACANT } from './housing.ts'
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

/** Incidents, travel and one-month dips, decided once so that all three utilities show them together. */
export type UsageEvents = {
  /** Month index (into UTILITY_PERIODS) from which an elderly person's home goes quiet, or -1. */
  incidentMonth: Int8Array
  /**
   * How much of the household's use remains after the incident: near nothing after a move to
   * hospital or care, a good part when a relative or a carer comes in every day.
   */
  activityLeft: Float32Array
  /** First month an elderly person spends away (with their children, wintering in the south), or -1. */
  awayFrom: Int8Array
  /** Months away; a stay that begins late in the year has not ended by the as-of day. */
  awayMonths: Uint8Array
  /** One month of travel, or -1. */
  dipMonth: Int8Array
  /** An empty home whose owner comes by now and then. */
  visited: Uint8Array
  /** Whether the home has a gas meter. */
  gas: Uint8Array
  /** Per enterprise: a shell's token use, as a share of a home's fixed use (0 for most shells and every other firm). */
  shellActivity: Float32Array
}

export function planUsageEvents(world: World): UsageEvents {
  const { places, households, housing, people } = world
  const r = createRandom(world.seed, 'usage_events')
  const events: UsageEvents = {
    incidentMonth: new Int8Array(places.count).fill(-1),
    activityLeft: new Float32Array(places.count),
    awayFrom: new Int8Array(places.count).fill(-1),
    awayMonths: new Uint8Array(places.count),
    dipMonth: new Int8Array(places.count).fill(-1),
    visited: new Uint8Array(places.count),
    gas: new Uint8Array(places.count),
    shellActivity: new Float32Array(world.enterprises.count),
  }
  const shells = createRandom(world.seed, 'usage_events:shells')
  for (let i = 0; i < world.enterprises.count; i++) if (world.enterprises.shell[i] === 1 && shells.chance(0.35)) events.shellActivity[i] = 0.2 + 1.4 * shells.next()
  const months = UTILITY_PERIODS.length
  for (let a = 0; a < places.count; a++) {
    const c = places.compound[a]!
    events.gas[a] = c >= 0 && r.chance(places.compounds[c]!.village ? 0.45 : 0.92) ? 1 : 0
    const h = housing.household[a]!
    if (housing.occupancy[a] === VACANT) {
      events.visited[a] = r.chance(0.2) ? 1 : 0
      continue
    }
    if (h < 0) continue
    if (households.type[h] === ELDERLY_ALONE) {
      // the frail have incidents; the fit travel, and stay away for weeks or months
      const frailty = people.frailty[households.firstMember[h]!]!
      if (r.chance(0.02 + 0.16 * frailty)) {
        events.incidentMonth[a] = r.int(2, months - 1)
        events.activityLeft[a] = r.chance(0.6) ? 0.1 * r.next() : 0.2 + 0.4 * r.next()
      } else if (r.chance(0.16 * (1 - frailty))) {
        events.awayFrom[a] = r.int(0, months - 1)
        events.awayMonths[a] = r.int(1, 4)
      }
    } else if (r.chance(0.04)) events.dipMonth[a] = r.int(0, months - 1)
  }
  return events
}

/**
 * A meter's twelve readings as the utility recorded them: now and then the reader could not get
 * in and recorded nothing, and the next month's reading carries both months (估抄); rarely a water
 * reading was keyed in litres instead of cubic metres.
 */
function recordedReadings(usage: Float64Array, utility: Utility, r: Random): Float64Array {
  for (let m = 0; m < usage.length; m++) {
    if (m + 1 < usage.length && r.chance(0.01)) {
      usage[m + 1]! += usage[m]!
      usage[m] = 0
    } else if (utility === WATER && r.chance(0.0015)) usage[m]! *= 1000
  }
  return usage
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
    const usage = new Float64Array(UTILITY_PERIODS.length)
    const quiet = (left: number): number => utility.afterIncident + (1 - utility.afterIncident) * left
    for (let m = 0; m < UTILITY_PERIODS.length; m++) {
      if (occupancy === VACANT) {
        const visit = events.visited[a] === 1 && r.chance(0.3)
        usage[m] = visit ? (utility.fixed + utility.perPerson * (0.3 + 0.5 * r.next())) * season(m, a) : r.chance(0.75) ? utility.idle * r.next() : utility.idle + utility.perPerson * 0.3 * r.next()
      } else if (elderlyAlone) {
        usage[m] = utility.elderly * level * season(m, a) * (1 + r.normal() * 0.06)
        const away = events.awayFrom[a]!
        if (events.incidentMonth[a]! >= 0 && m >= events.incidentMonth[a]!) usage[m]! *= quiet(events.activityLeft[a]!) * (0.7 + 0.6 * r.next())
        else if (away >= 0 && m >= away && m < away + events.awayMonths[a]!) usage[m]! *= quiet(0.1 * r.next()) * (0.7 + 0.6 * r.next())
      } else {
        const perPerson = occupancy === GROUP_RENTAL ? utility.perPerson * 0.9 : utility.perPerson
        usage[m] = (utility.fixed + perPerson * occupants) * level * season(m, a) * (1 + r.normal() * 0.12)
        if (events.dipMonth[a] === m) usage[m]! *= 0.15 + 0.2 * r.next()
      }
    }
    recordedReadings(usage, utility, r)
    for (let m = 0; m < UTILITY_PERIODS.length; m++) emit(a, m, holder, null, false, usage[m]!, 0.02)
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
    const usage = new Float64Array(UTILITY_PERIODS.length)
    // a shell's account idles, or shows a token use (the agent's office lit and its tap used,
    // the same shells in every utility); a small real business uses about what a household does
    // in power, and little water (a desk in an office, not a kitchen)
    const token = e.shell[i] === 1 ? utility.fixed * events.shellActivity[i]! : 0
    const scale =
      e.micro[i] === 1
        ? utility === WATER ? utility.perPerson * (0.05 + 0.75 * r.next()) : utility.fixed * 0.5 + utility.perPerson * (0.2 + 1.3 * r.next())
        : (utility === POWER ? 180 : utility === WATER ? 6 : 40) * intensity * (1 + Math.max(1, e.size[i]!) ** 0.85)
    for (let m = 0; m < UTILITY_PERIODS.length; m++) {
      usage[m] = e.shell[i] === 1 ? (token > 0 ? token * (0.5 + r.next()) : r.chance(0.8) ? 0 : utility.idle * r.next()) : scale * season(m, a) * (1 + r.normal() * 0.15)
    }
    recordedReadings(usage, utility, r)
    for (let m = 0; m < UTILITY_PERIODS.length; m++) emit(a, m, e.name[i]!, e.uscc[i]!, true, usage[m]!, 0.02 + 0.1 * (1 - e.health[i]!))
  }
}

/**
 * The truth as the city would come to know it, by a door-to-door survey and the elderly care
 * records: right for nearly every home, not for all (label noise, docs/synthetic-data.md): a few
 * group rentals were recorded as ordinary lets, a few incidents were never reported, and some
 * were dated a month off.
 */
export function writeOccupancyTruth(world: World, sink: TableSink, events: UsageEvents): void {
  const { places, housing, people, households } = world
  const r = createRandom(world.seed, 'truth-as-recorded')
  const dwellings = sink.openTruth('dwelling_occupancy')
  for (let a = 0; a < places.count; a++) {
    if (places.compound[a]! < 0) continue
    const occupancy = housing.occupancy[a] === GROUP_RENTAL && r.chance(0.03) ? RENTED : housing.occupancy[a]!
    dwellings.row([places.code[a]!, OCCUPANCY[occupancy]!, housing.occupants[a]!])
  }
  const elderly = sink.openTruth('elderly_incident')
  for (let a = 0; a < places.count; a++) {
    const m = events.incidentMonth[a]!
    if (m < 0 || r.chance(0.05)) continue
    const recorded = r.chance(0.1) ? Math.min(UTILITY_PERIODS.length - 1, Math.max(0, m + (r.chance(0.5) ? 1 : -1))) : m
    const h = housing.household[a]!
    elderly.row([people.residentId[households.firstMember[h]!]!, places.code[a]!, UTILITY_PERIODS[recorded]!])
  }
}
