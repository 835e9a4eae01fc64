/**
 * Places of the synthetic world: districts of the four cities, residential compounds (and
 * villages in counties), their dwellings, and business premises. Every place has a standard
 * address (一标三实) with a stable address code.
 */
import { DISTRICTS, COMPOUND_NAME_PARTS, type District } from './vocabulary.ts'
import { createRandom, type Random } from './random.ts'

/** City centres (longitude, latitude), for plausible coordinates. */
const CITY_CENTRES: Readonly<Record<string, readonly [number, number]>> = {
  六安市: [116.52, 31.74],
  池州市: [117.49, 30.66],
  黄石市: [114.98, 30.1],
  大同市: [113.3, 40.08],
}

export const ADDRESS_TYPES = ['住宅', '商业', '办公', '工业'] as const
export const RESIDENTIAL = 0
export const COMMERCIAL = 1
export const OFFICE = 2
export const INDUSTRIAL = 3

export type Compound = {
  readonly name: string
  readonly district: number
  readonly street: number
  readonly road: number
  readonly houseNo: number
  readonly village: boolean
  readonly builtYear: number
  readonly longitude: number
  readonly latitude: number
}

/** Addresses as parallel columns (a million persons need ~0.5 million addresses). */
export type Places = {
  readonly districts: readonly District[]
  readonly districtCentres: readonly (readonly [number, number])[]
  readonly compounds: Compound[]
  count: number
  district: Uint16Array
  compound: Int32Array
  street: Uint16Array
  road: Uint16Array
  houseNo: Uint16Array
  building: Uint16Array
  unit: Uint8Array
  room: Uint16Array
  type: Uint8Array
  area: Float64Array
  longitude: Float64Array
  latitude: Float64Array
  code: string[]
  /** The standard full address. */
  full: string[]
}

export function isCounty(d: District): boolean {
  return d.name.endsWith('县')
}

export function createPlaces(capacity: number): Places {
  const districtCentres = DISTRICTS.map((d, i) => {
    const centre = CITY_CENTRES[d.city] ?? [116, 31]
    const r = createRandom('places', d.code)
    // urban districts cluster near the centre, counties lie 0.3–0.8° out
    const distance = isCounty(d) ? 0.3 + 0.5 * r.next() : 0.02 + 0.08 * r.next()
    const angle = (2 * Math.PI * (i * 0.618 + r.next() * 0.2)) % (2 * Math.PI)
    return [centre[0] + distance * Math.cos(angle), centre[1] + distance * Math.sin(angle)] as const
  })
  return {
    districts: DISTRICTS,
    districtCentres,
    compounds: [],
    count: 0,
    district: new Uint16Array(capacity),
    compound: new Int32Array(capacity),
    street: new Uint16Array(capacity),
    road: new Uint16Array(capacity),
    houseNo: new Uint16Array(capacity),
    building: new Uint16Array(capacity),
    unit: new Uint8Array(capacity),
    room: new Uint16Array(capacity),
    type: new Uint8Array(capacity),
    area: new Float64Array(capacity),
    longitude: new Float64Array(capacity),
    latitude: new Float64Array(capacity),
    code: new Array<string>(capacity),
    full: new Array<string>(capacity),
  }
}

function districtPrefix(d: District): string {
  // 大冶 is a county-level city of 黄石: 湖北省黄石市大冶市
  return `${d.province}${d.city}${d.name}`
}

/**
 * Adds residential compounds to a district until it holds at least `dwellings` dwellings;
 * returns the address indexes of the new dwellings in a shuffled order.
 */
export function addDwellings(places: Places, districtIndex: number, dwellings: number, r: Random): number[] {
  const d = places.districts[districtIndex]!
  const added: number[] = []
  const usedNames = new Set<string>()
  const centre = places.districtCentres[districtIndex]!
  let compoundSeq = 0
  while (added.length < dwellings) {
    const village = isCounty(d) && r.chance(0.55)
    const street = r.int(0, d.streets.length - 1)
    const road = r.int(0, d.roads.length - 1)
    let name = village
      ? `${r.pick(COMPOUND_NAME_PARTS.prefixes)}村`
      : `${r.pick(COMPOUND_NAME_PARTS.prefixes)}${r.pick(COMPOUND_NAME_PARTS.suffixes)}`
    if (usedNames.has(name)) name = `${name}${['二期', '三期', '东区', '西区', '南苑', '北苑'][compoundSeq % 6]}`
    if (usedNames.has(name)) name = `${name}${compoundSeq}`
    usedNames.add(name)
    const compoundIndex = places.compounds.length
    const compound: Compound = {
      name,
      district: districtIndex,
      street,
      road,
      houseNo: r.int(1, 399),
      village,
      builtYear: village ? r.int(1985, 2015) : r.int(1995, 2023),
      longitude: centre[0] + r.normal() * 0.025,
      latitude: centre[1] + r.normal() * 0.02,
    }
    places.compounds.push(compound)
    compoundSeq++
    if (village) {
      const groups = r.int(4, 12)
      for (let g = 1; g <= groups && added.length < dwellings; g++) {
        const houses = r.int(8, 30)
        for (let h = 1; h <= houses; h++) {
          const a = pushAddress(places, districtIndex, compoundIndex, street, road, compound.houseNo, g, 0, h, RESIDENTIAL)
          places.area[a] = Math.round(r.lognormal(Math.log(150), 0.25))
          places.full[a] = `${districtPrefix(d)}${d.streets[street]}${name}${g}组${h}号`
          jitter(places, a, compound, r)
          added.push(a)
        }
      }
    } else {
      const buildings = r.int(4, 24)
      const floors = r.chance(0.6) ? r.int(6, 7) : r.int(11, 33)
      const units = r.int(1, 3)
      const perFloor = r.chance(0.7) ? 2 : 4
      const baseArea = r.lognormal(Math.log(105), 0.22)
      // a compound is built (and registered) a stairwell at a time until the district has enough
      for (let b = 1; b <= buildings && added.length < dwellings; b++) {
        for (let u = 1; u <= units && added.length < dwellings; u++) {
          for (let f = 1; f <= floors; f++) {
            for (let k = 1; k <= perFloor; k++) {
              const room = f * 100 + k
              const a = pushAddress(places, districtIndex, compoundIndex, street, road, compound.houseNo, b, u, room, RESIDENTIAL)
              places.area[a] = Math.round(baseArea * (0.75 + 0.5 * r.next()) * 100) / 100
              places.full[a] = `${districtPrefix(d)}${d.streets[street]}${d.roads[road]}${compound.houseNo}号${name}${b}栋${u}单元${room}室`
              jitter(places, a, compound, r)
              added.push(a)
            }
          }
        }
      }
    }
  }
  // shuffle so that households land across compounds, not filling the first one
  for (let i = added.length - 1; i > 0; i--) {
    const j = r.int(0, i)
    const t = added[i]!
    added[i] = added[j]!
    added[j] = t
  }
  return added
}

const PREMISES_NAMES = ['商务大厦', '国际广场', '财富中心', '商贸城', '创业园', '科技园', '工业园', '物流园', '金融中心', '时代广场']

/** A business premises (shop, office or workshop) in a district; `shared` premises host many registrations. */
export function addPremises(places: Places, districtIndex: number, type: number, r: Random): number {
  const d = places.districts[districtIndex]!
  const street = r.int(0, d.streets.length - 1)
  const road = r.int(0, d.roads.length - 1)
  const houseNo = r.int(1, 999)
  const centre = places.districtCentres[districtIndex]!
  let full: string
  let building = 0
  let room = 0
  if (type === COMMERCIAL) {
    full = `${districtPrefix(d)}${d.streets[street]}${d.roads[road]}${houseNo}号`
  } else {
    const park = r.pick(PREMISES_NAMES)
    building = r.int(1, 12)
    room = r.int(1, type === INDUSTRIAL ? 3 : 25) * 100 + r.int(1, 20)
    full = `${districtPrefix(d)}${d.streets[street]}${d.roads[road]}${houseNo}号${d.name.slice(0, 2)}${park}${building}栋${room}室`
  }
  const a = pushAddress(places, districtIndex, -1, street, road, houseNo, building, 0, room, type)
  places.full[a] = full
  places.area[a] = Math.round(r.lognormal(Math.log(type === INDUSTRIAL ? 1200 : type === OFFICE ? 120 : 80), 0.6))
  places.longitude[a] = Math.round((centre[0] + r.normal() * 0.03) * 1e6) / 1e6
  places.latitude[a] = Math.round((centre[1] + r.normal() * 0.025) * 1e6) / 1e6
  return a
}

function pushAddress(
  places: Places,
  district: number,
  compound: number,
  street: number,
  road: number,
  houseNo: number,
  building: number,
  unit: number,
  room: number,
  type: number,
): number {
  const a = places.count++
  if (a >= places.district.length) throw new RangeError('address capacity exceeded')
  places.district[a] = district
  places.compound[a] = compound
  places.street[a] = street
  places.road[a] = road
  places.houseNo[a] = houseNo
  places.building[a] = building
  places.unit[a] = unit
  places.room[a] = room
  places.type[a] = type
  // 6-digit district + 3-digit street + 13-digit sequence: unique and stable for the seed
  places.code[a] = `${places.districts[district]!.code}${String(street + 1).padStart(3, '0')}${String(a + 1).padStart(13, '0')}`
  return a
}

function jitter(places: Places, a: number, c: Compound, r: Random): void {
  places.longitude[a] = Math.round((c.longitude + r.normal() * 0.0015) * 1e6) / 1e6
  places.latitude[a] = Math.round((c.latitude + r.normal() * 0.0012) * 1e6) / 1e6
}

/** The compound (or village) name of an address, or null for premises. */
export function compoundName(places: Places, a: number): string | null {
  const c = places.compound[a]!
  return c < 0 ? null : places.compounds[c]!.name
}
