/**
 * 列入经营异常名录信息 and 严重违法失信企业名单: the market regulator's credit lists, from the
 * annual-report filings (annual-filing.ts) and the penalties (penalties.ts).
 */
import { AS_OF_DAY, dateOf } from './calendar.ts'
import { yearOf } from './calendar-fast.ts'
import { createRandom } from './random.ts'
import { DISTRICTS, ABNORMAL_LIST_REASONS, SERIOUS_VIOLATION_REASONS, SERIOUS_VIOLATION_REMOVALS } from './vocabulary.ts'
import { createDocumentNumbers, regulatorOf } from './authorities.ts'
import type { AnnualFiling, SeriousListing } from './annual-filing.ts'
import type { PenaltyCase } from './penalties.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

/** SERIOUS_VIOLATION_REMOVALS: repaired credit. */
const REPAIRED = 0

export function writeAbnormalList(world: World, sink: TableSink, filing: AnnualFiling): void {
  const { enterprises: e } = world
  const out = sink.open('business_abnormal_list', [
    'record_no', 'uscc', 'name', 'listed_reason', 'listed_on', 'listing_authority', 'removed_reason', 'removed_on',
    'removing_authority', 'status',
  ])
  // listed in the order the regulator decided, numbered per district
  const listings = [...filing.abnormal].sort((a, b) => a.listedDay - b.listedDay || a.enterprise - b.enterprise)
  const serial = new Map<number, number>()
  for (const l of listings) {
    const district = e.district[l.enterprise]!
    const n = (serial.get(district) ?? 0) + 1
    serial.set(district, n)
    const authority = regulatorOf(district)
    const removed = l.removedDay >= 0
    const reason = ABNORMAL_LIST_REASONS[l.reason]!
    out.row([
      `YC${DISTRICTS[district]!.code}${yearOf(l.listedDay)}${String(n).padStart(6, '0')}`,
      e.uscc[l.enterprise]!,
      e.name[l.enterprise]!,
      reason.listed,
      dateOf(l.listedDay),
      authority,
      removed ? reason.removed : null,
      removed ? dateOf(l.removedDay) : null,
      removed ? authority : null,
      removed ? '已移出' : '列入',
    ])
  }
}

export function writeSeriousViolations(world: World, sink: TableSink, filing: AnnualFiling, penalties: readonly PenaltyCase[]): void {
  const { enterprises: e, people } = world
  const r = createRandom(world.seed, 'serious_violation_list')
  const out = sink.open('serious_violation_list', [
    'record_no', 'uscc', 'name', 'legal_rep_name', 'reason', 'listed_on', 'authority', 'removed_on', 'removed_reason', 'status',
  ])
  const listings: SeriousListing[] = [...filing.serious]
  for (const c of penalties) {
    if (c.seriousDay < 0) continue
    const repaired = r.chance(0.15) ? c.seriousDay + r.int(365, 900) : AS_OF_DAY
    listings.push({ enterprise: c.enterprise, reason: c.seriousReason, listedDay: c.seriousDay, removedDay: repaired < AS_OF_DAY ? repaired : -1, removal: REPAIRED })
  }
  listings.sort((a, b) => a.listedDay - b.listedDay || a.enterprise - b.enterprise)
  const number = createDocumentNumbers('市监严失列', r)
  for (const l of listings) {
    const district = e.district[l.enterprise]!
    const removed = l.removedDay >= 0
    out.row([
      number(district, yearOf(l.listedDay)),
      e.uscc[l.enterprise]!,
      e.name[l.enterprise]!,
      people.name[e.legalRep[l.enterprise]!]!,
      SERIOUS_VIOLATION_REASONS[l.reason]!,
      dateOf(l.listedDay),
      regulatorOf(district),
      removed ? dateOf(l.removedDay) : null,
      removed ? SERIOUS_VIOLATION_REMOVALS[l.removal]! : null,
      removed ? '已移出' : '列入',
    ])
  }
}
