/** 住房保障配租信息: allocations of public rental housing and rent subsidies (housing-security.ts). */
import { dateOf } from './calendar.ts'
import { yearOf } from './calendar-fast.ts'
import { createRandom } from './random.ts'
import { DISTRICTS, HOUSING_SECURITY_CATEGORIES, INCOME_BANDS } from './vocabulary.ts'
import { compoundName } from './places.ts'
import { unitNo } from './write-property.ts'
import { IN_KIND, WAITING, type HousingSecurity } from './housing-security.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

const KINDS = ['实物配租', '租赁补贴'] as const
const STATUSES = ['轮候中', '保障中', '已退出'] as const

export function writeHousingSecurityAllocations(world: World, sink: TableSink, plan: HousingSecurity): void {
  const { places, people, households } = world
  const r = createRandom(world.seed, 'housing_security_allocation')
  const out = sink.open('housing_security_allocation', [
    'allocation_no', 'allocation_type', 'applicant_name', 'applicant_resident_id', 'household_size', 'category',
    'income_band', 'applied_on', 'project_name', 'unit_no', 'address_code', 'address', 'building_area', 'monthly_rent',
    'monthly_subsidy', 'start_on', 'end_on', 'status',
  ])
  const serial = new Map<string, number>()
  for (const x of plan.allocations) {
    const waiting = x.status === WAITING
    const a = x.address
    const applied = waiting ? x.startDay : x.startDay - r.int(60, 400)
    const d = DISTRICTS[households.district[people.household[x.applicant]!]!]!
    const key = `GZ${d.code}${yearOf(applied)}`
    const n = (serial.get(key) ?? 0) + r.int(1, 4)
    serial.set(key, n)
    const inKind = x.kind === IN_KIND
    out.row([
      `${key}${String(n).padStart(6, '0')}`,
      KINDS[x.kind]!,
      people.name[x.applicant]!,
      people.residentId[x.applicant]!,
      x.members,
      HOUSING_SECURITY_CATEGORIES[x.category]!,
      INCOME_BANDS[x.incomeBand]!,
      dateOf(applied),
      a >= 0 && inKind ? compoundName(places, a) : null,
      a >= 0 ? unitNo(world, a) : null,
      a >= 0 ? places.code[a]! : null,
      a >= 0 ? places.full[a]! : null,
      a >= 0 ? Math.round(places.area[a]! * 100) / 100 : null,
      inKind && !waiting ? x.rent : null,
      inKind ? null : x.subsidy,
      waiting ? null : dateOf(x.startDay),
      waiting ? null : dateOf(x.endDay),
      STATUSES[x.status]!,
    ])
  }
}
