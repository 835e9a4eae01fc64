/**
 * 注销信息 and 吊销信息: every enterprise whose registration says 注销 has its deregistration, every
 * one that says 吊销 its revocation (enterprise-exits.ts dates them); an enterprise deregistered
 * after a revocation has both.
 */
import { dateOf } from './calendar.ts'
import { yearOf } from './calendar-fast.ts'
import { createRandom, createWeightedPicker } from './random.ts'
import { DEREGISTRATION_REASONS, REVOCATION_REASONS } from './vocabulary.ts'
import { createDocumentNumbers, regulatorOf } from './authorities.ts'
import { CANCELLED, type EnterpriseExits } from './enterprise-exits.ts'
import type { AnnualFiling } from './annual-filing.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

const INDIVIDUAL = 3
const CLOSED_DOWN = DEREGISTRATION_REASONS.findIndex((d) => d.name === '个体工商户歇业')
const AFTER_REVOCATION = DEREGISTRATION_REASONS.findIndex((d) => d.name === '被吊销营业执照')

export function writeDeregistrations(world: World, sink: TableSink, exits: EnterpriseExits, filing: AnnualFiling): void {
  const { enterprises: e, people } = world
  const r = createRandom(world.seed, 'enterprise_deregistration')
  const companyReasons = DEREGISTRATION_REASONS.map((_, i) => i).filter((i) => i !== CLOSED_DOWN && i !== AFTER_REVOCATION)
  const pickReason = createWeightedPicker(companyReasons, (i) => DEREGISTRATION_REASONS[i]!.weight)
  // the simple procedure (简易注销) is open only to an enterprise never on the abnormal list
  const listed = new Uint8Array(e.count)
  for (const l of filing.abnormal) listed[l.enterprise] = 1
  const out = sink.open('enterprise_deregistration', [
    'uscc', 'name', 'legal_rep_name', 'deregistration_type', 'reason', 'announced_from', 'approved_on', 'authority',
  ])
  for (let i = 0; i < e.count; i++) {
    if (e.status[i] !== CANCELLED) continue
    const approved = exits.exitDay[i]!
    const revoked = exits.revokedDay[i]! >= 0
    const individual = e.type[i] === INDIVIDUAL
    const simple = !revoked && listed[i] === 0 && r.chance(individual ? 0.85 : 0.5)
    const reason = revoked ? AFTER_REVOCATION : individual ? CLOSED_DOWN : pickReason(r)
    // a simple deregistration is announced for 20 days, a liquidation's creditors for 45
    const announced = approved - (simple ? 20 : 45) - r.int(1, 30)
    out.row([
      e.uscc[i]!,
      e.name[i]!,
      people.name[e.legalRep[i]!]!,
      simple ? '简易注销' : '一般注销',
      DEREGISTRATION_REASONS[reason]!.name,
      individual && simple ? null : dateOf(Math.max(announced, e.establishedDay[i]! + 1)),
      dateOf(approved),
      regulatorOf(e.district[i]!),
    ])
  }
}

export function writeRevocations(world: World, sink: TableSink, exits: EnterpriseExits): void {
  const { enterprises: e, people } = world
  const r = createRandom(world.seed, 'enterprise_revocation')
  const pickReason = createWeightedPicker(REVOCATION_REASONS, (x) => x.weight)
  const number = createDocumentNumbers('市监吊字', r)
  const out = sink.open('enterprise_revocation', ['decision_no', 'uscc', 'name', 'legal_rep_name', 'reason', 'revoked_on', 'authority'])
  const revoked = [...exits.revokedDay.keys()].filter((i) => exits.revokedDay[i]! >= 0).sort((a, b) => exits.revokedDay[a]! - exits.revokedDay[b]! || a - b)
  for (const i of revoked) {
    const day = exits.revokedDay[i]!
    out.row([
      number(e.district[i]!, yearOf(day)),
      e.uscc[i]!,
      e.name[i]!,
      people.name[e.legalRep[i]!]!,
      pickReason(r).name,
      dateOf(day),
      regulatorOf(e.district[i]!),
    ])
  }
}
