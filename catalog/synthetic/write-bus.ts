/**
 * 公交车线路信息, 公交车站点信息, 乘车刷卡信息: routes and stops per district, and one week
 * (2025-12-01 Monday … 12-07) of boardings: commuters at the peaks, students at school times,
 * elderly card holders off-peak.
 */
import { dayNumber, timestampOf } from './calendar.ts'
import { createRandom, createWeightedPicker, type Random } from './random.ts'
import { BUS_STOP_LANDMARKS, BUS_STOP_PATTERNS, BUS_STOP_SUFFIXES, DISTRICTS } from './vocabulary.ts'
import { isCounty } from './places.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

const WEEK_START = dayNumber('2025-12-01')

type Route = { id: string; district: number; stops: string[]; fare: number }

export type BusNetwork = { routes: Route[]; byDistrict: Map<number, Route[]> }

export function planBusNetwork(world: World): BusNetwork {
  const r = createRandom(world.seed, 'bus_network')
  const routes: Route[] = []
  const byDistrict = new Map<number, Route[]>()
  const residents = new Map<number, number>()
  for (let h = 0; h < world.households.count; h++) {
    const d = world.households.district[h]!
    residents.set(d, (residents.get(d) ?? 0) + world.households.size[h]!)
  }
  const pickPattern = createWeightedPicker(BUS_STOP_PATTERNS, (p) => p.weight)
  let serial = 0
  DISTRICTS.forEach((d, index) => {
    const people = residents.get(index) ?? 0
    if (people === 0) return
    const count = Math.max(1, Math.round(people / (isCounty(d) ? 15000 : 8000)))
    const compounds = world.places.compounds.filter((c) => c.district === index && !c.village).map((c) => c.name)
    const list: Route[] = []
    for (let k = 0; k < count; k++) {
      serial++
      const n = r.int(12, 28)
      const used = new Set<string>()
      const stops: string[] = []
      while (stops.length < n) {
        const name = stopName(pickPattern(r).pattern, d, compounds, r)
        if (!used.has(name)) {
          used.add(name)
          stops.push(name)
        }
      }
      const route: Route = { id: `${d.code}${String(serial).padStart(4, '0')}`, district: index, stops, fare: isCounty(d) ? r.pick([1, 2, 3]) : r.pick([1, 2]) }
      list.push(route)
      routes.push(route)
    }
    byDistrict.set(index, list)
  })
  return { routes, byDistrict }
}

function stopName(pattern: string, d: (typeof DISTRICTS)[number], compounds: string[], r: Random): string {
  const towns = d.streets.filter((s) => !s.endsWith('街道'))
  const subdistricts = d.streets.filter((s) => s.endsWith('街道'))
  const road = r.pick(d.roads)
  let road2 = r.pick(d.roads)
  if (road2 === road) road2 = d.roads[(d.roads.indexOf(road) + 1) % d.roads.length]!
  return pattern
    .replace('{road}', road)
    .replace('{road2}', road2)
    .replace('{compound}', compounds.length > 0 ? r.pick(compounds) : r.pick(BUS_STOP_LANDMARKS))
    .replace('{town}', towns.length > 0 ? r.pick(towns) : d.name)
    .replace('{subdistrict}', subdistricts.length > 0 ? r.pick(subdistricts).replace('街道', '') : d.name.slice(0, 2))
    .replace('{landmark}', r.pick(BUS_STOP_LANDMARKS))
    .replace('{suffix}', r.pick(BUS_STOP_SUFFIXES))
}

const stopId = (route: Route, seq: number): string => `${route.id}${String(seq).padStart(3, '0')}`

export function writeBusRoutes(world: World, sink: TableSink, network: BusNetwork): void {
  const r = createRandom(world.seed, 'bus_route')
  const routes = sink.open('bus_route', ['route_id', 'route_name', 'district_code', 'first_departure', 'last_departure', 'fare', 'stop_count', 'length_km'])
  const stops = sink.open('bus_stop', ['route_id', 'sequence', 'stop_id', 'stop_name', 'longitude', 'latitude'])
  const perDistrict = new Map<number, number>()
  for (const route of network.routes) {
    const k = (perDistrict.get(route.district) ?? 0) + 1
    perDistrict.set(route.district, k)
    const d = DISTRICTS[route.district]!
    const name = isCounty(d) ? `${d.name.slice(0, 2)}${k}路` : `${k}路`
    routes.row([route.id, name, d.code, `0${r.int(5, 6)}:${r.pick(['00', '15', '30', '45'])}`, `${r.int(19, 22)}:${r.pick(['00', '30'])}`, route.fare, route.stops.length, Math.round(route.stops.length * (0.6 + 0.5 * r.next()) * 10) / 10])
    const [lon, lat] = world.places.districtCentres[route.district]!
    const angle = r.next() * Math.PI * 2
    route.stops.forEach((stop, i) => {
      const t = (i - route.stops.length / 2) * 0.006
      stops.row([route.id, i + 1, stopId(route, i + 1), stop, Math.round((lon + t * Math.cos(angle)) * 1e6) / 1e6, Math.round((lat + t * Math.sin(angle)) * 1e6) / 1e6])
    })
  }
}

export function writeBusCardSwipes(world: World, sink: TableSink, network: BusNetwork): void {
  const { people, households } = world
  const r = createRandom(world.seed, 'bus_card_swipe')
  const out = sink.open('bus_card_swipe', ['swipe_id', 'card_no', 'card_type', 'route_id', 'stop_id', 'vehicle_no', 'direction', 'swiped_at', 'fare'])
  let serial = 0
  let cards = 0
  for (let p = 0; p < people.count; p++) {
    const age = people.age[p]!
    const routes = network.byDistrict.get(households.district[people.household[p]!]!)
    if (routes === undefined || routes.length === 0) continue
    const kind = age >= 65 ? 'elderly' : age >= 7 && age <= 18 ? 'student' : age > 18 ? 'adult' : 'none'
    const share = kind === 'elderly' ? 0.35 : kind === 'student' ? 0.45 : kind === 'adult' ? 0.16 : 0
    if (!r.chance(share)) continue
    cards++
    // 14 digits: city prefix + serial; not a bank-card length, so no false identifier alarms
    const card = `${DISTRICTS[households.district[people.household[p]!]!]!.code.slice(0, 4)}${String(cards * 7 + 1000000000).slice(-10)}`
    const type = kind === 'elderly' ? (age >= 70 ? '爱心卡' : '老年卡') : kind === 'student' ? '学生卡' : r.chance(0.45) ? '移动支付' : '普通卡'
    const route = r.pick(routes)
    const home = r.int(0, route.stops.length - 1)
    const work = (home + r.int(3, route.stops.length - 1)) % route.stops.length
    const fare = kind === 'elderly' ? 0 : kind === 'student' ? route.fare / 2 : route.fare
    for (let day = 0; day < 7; day++) {
      const weekday = day < 5
      const trips: [number, number][] = []
      if (kind === 'elderly') {
        if (r.chance(0.45)) {
          trips.push([home, r.int(8 * 3600, 11 * 3600)])
          trips.push([work, r.int(13 * 3600, 17 * 3600)])
        }
      } else if (weekday ? r.chance(0.85) : r.chance(0.25)) {
        const morning = kind === 'student' ? r.int(6.5 * 3600, 7.6 * 3600) : r.int(6.8 * 3600, 9 * 3600)
        const evening = kind === 'student' ? r.int(16.5 * 3600, 18 * 3600) : r.int(17 * 3600, 19.5 * 3600)
        trips.push([home, weekday ? morning : r.int(9 * 3600, 12 * 3600)])
        trips.push([work, weekday ? evening : r.int(15 * 3600, 19 * 3600)])
      }
      for (const [stop, seconds] of trips) {
        serial++
        out.row([
          `JY${String(WEEK_START + day)}${String(serial).padStart(9, '0')}`,
          card,
          type,
          route.id,
          stopId(route, stop + 1),
          `${route.id.slice(-4)}-${String(r.int(1, 12)).padStart(2, '0')}`,
          stop === home ? '上行' : '下行',
          timestampOf(WEEK_START + day, seconds),
          fare,
        ])
      }
    }
  }
}
