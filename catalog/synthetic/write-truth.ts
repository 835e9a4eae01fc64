/** Ground truth the evaluation of products needs: which enterprises are shells, how healthy each is. */
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

export function writeEnterpriseTruth(world: World, sink: TableSink): void {
  const { enterprises: e } = world
  const out = sink.openTruth('enterprise_health')
  for (let i = 0; i < e.count; i++) out.row([e.uscc[i]!, Math.round(e.health[i]! * 1000) / 1000, e.shell[i]!])
}
