/**
 * Ground truth the evaluation of products needs: which enterprises are shells, how healthy each
 * is; how distressed each adult is. As a city would know it: from inspections and outcomes, not
 * from the generator's mind (label noise, docs/synthetic-data.md): an inspection misses a few
 * shells and takes a few small real businesses for shells, and health and distress are measured
 * with error.
 */
import { clamp, createRandom } from './random.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

export function writeEnterpriseTruth(world: World, sink: TableSink): void {
  const { enterprises: e } = world
  const r = createRandom(world.seed, 'enterprise-truth-as-recorded')
  const out = sink.openTruth('enterprise_health')
  for (let i = 0; i < e.count; i++) {
    const shell = e.shell[i] === 1 ? r.chance(0.04) ? 0 : 1 : e.micro[i] === 1 && r.chance(0.03) ? 1 : 0
    out.row([e.uscc[i]!, Math.round(clamp(e.health[i]! + r.normal() * 0.03, 0, 1) * 1000) / 1000, shell])
  }
}

export function writePersonTruth(world: World, sink: TableSink): void {
  const { people } = world
  const r = createRandom(world.seed, 'person-truth-as-recorded')
  const out = sink.openTruth('person_risk')
  for (let p = 0; p < people.count; p++) {
    if (people.age[p]! >= 18) out.row([people.residentId[p]!, Math.round(clamp(people.risk[p]! + r.normal() * 0.05, 0, 1) * 1000) / 1000])
  }
}
