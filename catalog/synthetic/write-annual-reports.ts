/**
 * 企业年报基本信息: one row per report filed, as the enterprise typed it. Self-declared and
 * unaudited, so besides the world's figures (enterprise-finances.ts) a report carries the errors
 * of the people who fill it in: a revenue keyed in 元 where the form asks for 万元, last year's
 * figures copied over, a staff count below the insured count, a shell's invented staff.
 */
import { createDateCache } from './calendar-fast.ts'
import { createRandom, round } from './random.ts'
import { REPORT_YEARS, type EnterpriseFinances } from './enterprise-finances.ts'
import { reportDeadline, type AnnualFiling } from './annual-filing.ts'
import type { EnterpriseExits } from './enterprise-exits.ts'
import type { World } from './world.ts'
import type { CellValue, TableSink } from './table-sink.ts'

const INDIVIDUAL = 3
const COOPERATIVE = 4

export function writeAnnualReports(world: World, sink: TableSink, finances: EnterpriseFinances, filing: AnnualFiling, exits: EnterpriseExits): void {
  const { enterprises: e } = world
  const r = createRandom(world.seed, 'enterprise_annual_report')
  const out = sink.open('enterprise_annual_report', [
    'uscc', 'name', 'report_year', 'filed_on', 'on_time', 'operating_status', 'employees', 'insured', 'total_assets',
    'total_liabilities', 'revenue', 'profit', 'tax_paid', 'financials_public',
  ])
  const years = REPORT_YEARS.length
  const dateOf = createDateCache()
  for (let i = 0; i < e.count; i++) {
    const individual = e.type[i] === INDIVIDUAL
    const cooperative = e.type[i] === COOPERATIVE
    const shell = e.shell[i] === 1
    const publicFinancials = r.chance(individual ? 0.5 : 0.7)
    // the error this enterprise's clerk makes in every report, if any
    const inYuan = r.chance(0.01)
    const copies = r.chance(0.03)
    let previous: CellValue[] | undefined
    for (let y = 0; y < years; y++) {
      const filed = filing.filedDay[i * years + y]!
      if (filed < 0) continue
      const year = REPORT_YEARS[y]!
      const k = i * years + y
      const exit = exits.exitDay[i]!
      const winding = exit >= 0 && exit - reportDeadline(year) < 365
      const insured = year === 2024 ? reportedInsured(finances.insured2024[i]!) : Math.round(e.size[i]! * (0.85 + 0.25 * r.next()))
      const employees = shell
        ? r.chance(0.7) ? 0 : r.int(1, 5)
        : r.chance(0.03) ? Math.max(0, insured - r.int(1, 3)) : Math.max(insured, Math.round(finances.workforce[i]! * (0.9 + 0.2 * r.next())))
      const money = (x: number): number => round(inYuan ? x * 10_000 : x)
      let figures: CellValue[] = [
        individual || cooperative ? null : money(finances.assets[k]!),
        individual || cooperative ? null : money(finances.liabilities[k]!),
        money(finances.revenue[k]!),
        individual ? null : money(finances.profit[k]!),
        money(finances.tax[k]!),
      ]
      if (copies && previous !== undefined) figures = previous
      previous = figures
      out.row([
        e.uscc[i]!,
        e.name[i]!,
        year,
        dateOf(filed),
        filed <= reportDeadline(year),
        winding ? (r.chance(0.5) ? '清算' : '歇业') : '开业',
        employees,
        individual ? null : insured,
        ...figures,
        publicFinancials,
      ])
    }
  }

  function reportedInsured(insured: number): number {
    return r.chance(0.85) ? insured : Math.max(0, insured + r.int(-3, 3))
  }
}
