/** Ground truth the evaluation of products needs: which enterprises are shells, how healthy each is; how distressed each adult is. */
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

export function writeEnterpriseTruth(world: World, sink: TableSink): void {
  const { enterprises: e } = world
  const out = sink.openTruth('enterprise_health')
  for (let i = 0; i < e.count; i++) out.row([e.uscc[i]!, Math.round(e.health[i]! * 1000) / 1000, e.shell[i]!])
}

export function writePersonTruth(world: World, sink: TableSink): void {
  const { people } = world
  const out = sink.openTruth('person_risk')
  for (let p = 0; p < people.count; p++) if (people.age[p]! >= 18) out.row([people.residentId[p]!, Math.round(people.risk[p]! * 1000) / 1000])
}
