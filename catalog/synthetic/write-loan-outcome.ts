/**
 * Ground truth for an enterprise overdue-risk index (企业逾期风险指数): whether each live
 * enterprise borrowed from a bank in the twelve months after the as-of day, and whether it fell
 * overdue (30 days or more) on that loan. The outcome follows the enterprise's latent health as it
 * will be then — today's health plus a shock no record shows — with a real share of chance, so
 * even a perfect reading of today's records cannot foresee every case. Shells that borrow mostly
 * borrow to default. As a bank's records report it (label noise): a loan rolled over or
 * restructured before it fell 30 days behind is not recorded as overdue, and a few repayments a
 * day late are.
 */
import { createRandom, clamp } from './random.ts'
import { isActiveStatus } from './economy.ts'
import type { EnterpriseFinances } from './enterprise-finances.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

const INDIVIDUAL = 3
const COOPERATIVE = 4

export function writeLoanOutcomeTruth(world: World, sink: TableSink, finances: EnterpriseFinances): void {
  const { enterprises: e, housing } = world
  const r = createRandom(world.seed, 'enterprise-loan-outcome')
  // a firm whose premises are mortgaged to a lender has a loan running
  const secured = new Uint8Array(e.count)
  for (const m of housing.mortgages) if (m.enterprise >= 0 && m.cancelledDay < 0) secured[m.enterprise] = 1
  const out = sink.openTruth('enterprise_loan_outcome')
  for (let i = 0; i < e.count; i++) {
    if (!isActiveStatus(e.status[i]!)) continue
    const shell = e.shell[i] === 1
    const borrows =
      secured[i] === 1 ||
      r.chance(
        shell ? 0.08
        : e.micro[i] === 1 ? 0.2
        : e.type[i] === INDIVIDUAL ? 0.18
        : e.type[i] === COOPERATIVE ? 0.3
        : Math.min(0.8, 0.3 + 0.08 * Math.log1p(finances.workforce[i]!)),
      )
    const future = clamp(e.health[i]! + r.normal() * 0.08, 0, 1)
    const logit = -5.1 + 5.58 * (1 - future) + (shell ? 1.5 : 0) + r.normal() * 0.5
    const overdue = borrows && r.chance(1 / (1 + Math.exp(-logit)))
    const recorded = overdue ? !r.chance(0.08) : borrows && r.chance(0.005)
    out.row([e.uscc[i]!, borrows ? 1 : 0, recorded ? 1 : 0])
  }
}
