/**
 * Ground truth for the hotspots of elderly and disability services (养老、残疾人服务需求热点):
 * per township or subdistrict (乡镇/街道), how many residents need services — an old person whose
 * frailty has taken away some of their daily abilities, or a person whose disability (certified or
 * not) calls for rehabilitation, care or day care — as a door-to-door survey found them (it misses
 * one in twenty and takes a few for in need who are not). The fifth of places with most people
 * in need are the hotspots. The records show part of this: care levels of the old, the holders of
 * a 残疾人证, the chronic-disease entitlements of medical insurance.
 */
import { createRandom } from './random.ts'
import { DISTRICTS } from './vocabulary.ts'
import { MAX_STREETS, areaOf, type Disability } from './disability.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

/** Frailty from which an old person's abilities are impaired (the 轻度失能 threshold of elderly_info). */
const FRAIL = 0.45
const HOTSPOT_SHARE = 0.2

export function writeServiceNeedTruth(world: World, sink: TableSink, disability: Disability): void {
  const { people } = world
  const r = createRandom(world.seed, 'service-need-truth')
  const areas = DISTRICTS.length * MAX_STREETS
  const residents = new Int32Array(areas)
  const elderly = new Int32Array(areas)
  const disabled = new Int32Array(areas)
  const inNeed = new Int32Array(areas)
  for (let p = 0; p < people.count; p++) {
    const area = areaOf(world, p)
    residents[area]!++
    if (people.age[p]! >= 60) elderly[area]!++
    if (disability.type[p]! > 0) disabled[area]!++
    const needs = (people.age[p]! >= 60 && people.frailty[p]! >= FRAIL) || disability.needsService[p] === 1
    if (needs ? !r.chance(0.05) : r.chance(0.005)) inNeed[area]!++
  }
  const populated = [...residents.keys()].filter((k) => residents[k]! > 0)
  const ranked = [...populated].sort((a, b) => inNeed[b]! - inNeed[a]! || a - b)
  const hotspots = new Set(ranked.slice(0, Math.max(1, Math.round(populated.length * HOTSPOT_SHARE))))
  const out = sink.openTruth('service_need_area')
  for (const k of populated) {
    const d = DISTRICTS[Math.floor(k / MAX_STREETS)]!
    out.row([
      d.code,
      d.streets[k % MAX_STREETS]!,
      residents[k]!,
      elderly[k]!,
      disabled[k]!,
      inNeed[k]!,
      Math.round((1000 * inNeed[k]!) / residents[k]! * 10) / 10,
      hotspots.has(k) ? 1 : 0,
    ])
  }
}
