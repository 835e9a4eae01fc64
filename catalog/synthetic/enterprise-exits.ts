/**
 * When the enterprises that are gone went: the world gives each its registration status
 * (注销, 吊销, 迁出); this dates it. A revoked enterprise (吊销) stopped operating and reporting a
 * year or more before the regulator revoked its licence; some revoked enterprises are then
 * deregistered (吊销后注销), so they carry both dates. Own random stream: every other table
 * stays as it was.
 */
import { AS_OF_DAY } from './calendar.ts'
import { createRandom } from './random.ts'
import type { World } from './world.ts'

/** ENTERPRISE_STATUSES of economy.ts. */
export const CANCELLED = 2
export const REVOKED = 3
export const MOVED_AWAY = 4

export type EnterpriseExits = {
  /** Day the registration here ended (注销 approved, 吊销 decided, 迁出 moved away), or -1. */
  exitDay: Int32Array
  /** Day the business licence was revoked (吊销), or -1. */
  revokedDay: Int32Array
  /** Day it stopped operating (停业) before a revocation, or -1: no reports, no trade after it. */
  dormantFrom: Int32Array
}

export function planEnterpriseExits(world: World): EnterpriseExits {
  const e = world.enterprises
  const r = createRandom(world.seed, 'enterprise-exits')
  const exits: EnterpriseExits = {
    exitDay: new Int32Array(e.count).fill(-1),
    revokedDay: new Int32Array(e.count).fill(-1),
    dormantFrom: new Int32Array(e.count).fill(-1),
  }
  const latest = AS_OF_DAY - 15
  for (let i = 0; i < e.count; i++) {
    const status = e.status[i]!
    if (status !== CANCELLED && status !== REVOKED && status !== MOVED_AWAY) continue
    const established = e.establishedDay[i]!
    // gone within the last eight years, at least half a year after it was set up
    const earliest = Math.min(latest, Math.max(established + 180, AS_OF_DAY - 8 * 365))
    const exit = r.int(earliest, latest)
    exits.exitDay[i] = exit
    if (status === REVOKED || (status === CANCELLED && r.chance(0.18))) {
      const revoked = status === REVOKED ? exit : exit - r.int(180, 900)
      if (status === CANCELLED && revoked <= established + 120) continue
      exits.revokedDay[i] = revoked
      exits.dormantFrom[i] = Math.min(revoked, Math.max(established + 60, revoked - r.int(540, 1500)))
    }
  }
  return exits
}

/** Whether the enterprise still traded on `day`: registered, not yet gone, not dormant. */
export function isTradingOn(exits: EnterpriseExits, i: number, day: number): boolean {
  const end = exits.dormantFrom[i]! >= 0 ? exits.dormantFrom[i]! : exits.exitDay[i]!
  return end < 0 || day < end
}
