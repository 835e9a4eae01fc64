/** 行政处罚信息: the market regulator's penalty decisions (penalties.ts), as 双公示 publishes them. */
import { dateOf } from './calendar.ts'
import { yearOf } from './calendar-fast.ts'
import { createRandom } from './random.ts'
import { PENALTY_KINDS, PENALTY_VIOLATIONS } from './vocabulary.ts'
import { createDocumentNumbers, regulatorOf } from './authorities.ts'
import type { PenaltyCase } from './penalties.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

/** A warning is shown for three months, any other penalty for three years (信用修复管理办法, 2021). */
const WARNING_DAYS = 91
const PENALTY_DAYS = 3 * 365

export function writeAdministrativePenalties(world: World, sink: TableSink, penalties: readonly PenaltyCase[]): void {
  const { enterprises: e, people } = world
  const r = createRandom(world.seed, 'administrative_penalty')
  const out = sink.open('administrative_penalty', [
    'decision_no', 'party_name', 'uscc', 'legal_rep_name', 'violation', 'penalty_kind', 'fine', 'confiscated',
    'decided_on', 'publicity_until', 'authority',
  ])
  const number = createDocumentNumbers('市监处罚', r)
  for (const c of [...penalties].sort((a, b) => a.day - b.day || a.enterprise - b.enterprise)) {
    const i = c.enterprise
    const violation = PENALTY_VIOLATIONS[c.violation]!
    const kind = violation.kind
    const shown = c.day + (kind === 0 ? WARNING_DAYS : PENALTY_DAYS)
    out.row([
      number(e.district[i]!, yearOf(c.day)),
      e.name[i]!,
      e.uscc[i]!,
      people.name[e.legalRep[i]!]!,
      violation.name,
      PENALTY_KINDS[kind]!,
      c.fine,
      c.confiscated > 0 ? c.confiscated : null,
      dateOf(c.day),
      dateOf(shown),
      regulatorOf(e.district[i]!),
    ])
  }
}
