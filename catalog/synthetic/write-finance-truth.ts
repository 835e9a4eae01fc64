/**
 * Ground truth of what each enterprise that traded in 2024 really turned over, earned and owned
 * that year (enterprise-finances.ts), against which an estimate from the self-declared annual
 * reports can be scored.
 */
import { dayNumber } from './calendar.ts'
import { REPORT_YEARS, type EnterpriseFinances } from './enterprise-finances.ts'
import { isTradingOn, type EnterpriseExits } from './enterprise-exits.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

const YEAR = REPORT_YEARS.indexOf(2024)
const YEAR_END = dayNumber('2024-12-31')

export function writeFinanceTruth(world: World, sink: TableSink, finances: EnterpriseFinances, exits: EnterpriseExits): void {
  const e = world.enterprises
  const years = REPORT_YEARS.length
  const out = sink.openTruth('enterprise_finance')
  for (let i = 0; i < e.count; i++) {
    if (e.establishedDay[i]! > YEAR_END || !isTradingOn(exits, i, YEAR_END)) continue
    const k = i * years + YEAR
    out.row([e.uscc[i]!, finances.revenue[k]!, finances.profit[k]!, finances.assets[k]!, finances.workforce[i]!])
  }
}
