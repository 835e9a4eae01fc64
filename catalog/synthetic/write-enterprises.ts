/** 企业基本信息, 欠税信息, 纳税信用等级信息, 失信被执行人信息. */
import { AS_OF_DAY, dateOf, dayNumber } from './calendar.ts'
import { createRandom, createWeightedPicker, clamp } from './random.ts'
import { DISTRICTS, INDUSTRIES, TAX_TYPES, DISHONEST_BEHAVIOURS_WEIGHTED } from './vocabulary.ts'
import { ENTERPRISE_STATUSES, ENTERPRISE_TYPES, isActiveStatus } from './economy.ts'
import type { World } from './world.ts'
import type { TableSink } from './table-sink.ts'

export function writeEnterpriseBasic(world: World, sink: TableSink): void {
  const { enterprises: e, people, places } = world
  const out = sink.open('enterprise_basic', [
    'uscc', 'name', 'enterprise_type', 'legal_rep_name', 'legal_rep_id', 'registered_capital', 'established_on',
    'industry_code', 'industry_name', 'district_code', 'address_code', 'address', 'status', 'phone',
  ])
  for (let i = 0; i < e.count; i++) {
    const rep = e.legalRep[i]!
    const industry = INDUSTRIES[e.industry[i]!]!
    out.row([
      e.uscc[i]!,
      e.name[i]!,
      ENTERPRISE_TYPES[e.type[i]!]!,
      people.name[rep]!,
      people.residentId[rep]!,
      e.capital[i]!,
      dateOf(e.establishedDay[i]!),
      industry.code,
      industry.name,
      DISTRICTS[e.district[i]!]!.code,
      places.code[e.premises[i]!]!,
      places.full[e.premises[i]!]!,
      ENTERPRISE_STATUSES[e.status[i]!]!,
      people.phone[rep] ?? null,
    ])
  }
}

/** 欠税公告 is published quarterly; the balance of one tax type per row. */
export function writeTaxArrears(world: World, sink: TableSink): void {
  const { enterprises: e, people, places } = world
  const r = createRandom(world.seed, 'tax_arrears')
  const pickTax = createWeightedPicker(TAX_TYPES, (t) => t.weight)
  const out = sink.open('tax_arrears', [
    'arrears_id', 'taxpayer_uscc', 'taxpayer_name', 'legal_rep_name', 'legal_rep_id', 'tax_type', 'arrears_amount',
    'new_arrears_amount', 'arrears_since', 'announced_on', 'business_address', 'status',
  ])
  let serial = 0
  for (let i = 0; i < e.count; i++) {
    const total = e.taxArrears[i]!
    if (total <= 0) continue
    const kinds = r.chance(0.3) ? 2 : 1
    for (let k = 0; k < kinds; k++) {
      const amount = Math.round((kinds === 2 ? (k === 0 ? 0.7 : 0.3) : 1) * total * 100) / 100
      const since = e.taxArrearsSince[i]! - k * r.int(0, 90)
      const quarter = Math.floor(new Date(since * 86400000).getUTCMonth() / 3)
      const year = new Date(since * 86400000).getUTCFullYear()
      const announced = Math.min(AS_OF_DAY - 1, dayNumber(`${quarter === 3 ? year + 1 : year}-${String(((quarter + 1) % 4) * 3 + 1).padStart(2, '0')}-10`))
      const settled = r.chance(0.1)
      const rep = e.legalRep[i]!
      out.row([
        `QS${String(year)}${String(++serial).padStart(8, '0')}`,
        e.uscc[i]!,
        e.name[i]!,
        people.name[rep]!,
        people.residentId[rep]!,
        pickTax(r).name,
        settled ? 0 : amount,
        since > AS_OF_DAY - 92 ? amount : 0,
        dateOf(since),
        dateOf(Math.max(announced, since + 1)),
        places.full[e.premises[i]!]!,
        settled ? '已缴清' : r.chance(0.2) ? '部分缴纳' : '未缴清',
      ])
    }
  }
}

/** Annual 纳税信用评价 (国家税务总局公告 2014年第48号): A ≥ 90, B 70–90, M new or no income, C 40–70, D < 40 or listed. */
export function writeTaxCreditRating(world: World, sink: TableSink): void {
  const { enterprises: e, courts } = world
  const r = createRandom(world.seed, 'tax_credit_rating')
  const out = sink.open('tax_credit_rating', ['taxpayer_uscc', 'taxpayer_name', 'year', 'grade', 'score', 'tax_office'])
  for (let i = 0; i < e.count; i++) {
    if (e.type[i] === 3 || e.type[i] === 4) continue // individual businesses and cooperatives: not rated here
    const d = DISTRICTS[e.district[i]!]!
    const office = `国家税务总局${d.city}${d.name === d.city ? '' : d.name}税务局`.replace('黄石市大冶市', '大冶市')
    for (const year of [2023, 2024]) {
      const yearEnd = dayNumber(`${year}-12-31`)
      if (e.establishedDay[i]! > yearEnd) continue
      if (!isActiveStatus(e.status[i]!) && r.chance(0.5)) continue
      const arrears = e.taxArrears[i]! > 0 && e.taxArrearsSince[i]! <= yearEnd
      const listed = courts.enterpriseListed[i] === 1
      let score = clamp(58 + 40 * e.health[i]! + r.normal() * 6 - (arrears ? 14 : 0), 0, 100)
      let grade: string
      const newcomer = e.establishedDay[i]! > yearEnd - 365
      // M: new, or no operating income in the year — shells mostly, small real businesses often;
      // a shell that filed nothing is sometimes not rated at all, or rated on its zero returns
      const noIncome = e.shell[i] === 1 ? r.next() : e.micro[i] === 1 && r.chance(0.4) ? 0.5 : 1
      if (noIncome < 0.2) continue
      if (noIncome < 0.85 || newcomer) grade = 'M'
      else if (listed && year === 2024) {
        grade = 'D'
        score = Math.min(score, 35)
      } else grade = score >= 90 ? 'A' : score >= 70 ? 'B' : score >= 40 ? 'C' : 'D'
      out.row([e.uscc[i]!, e.name[i]!, year, grade, grade === 'M' ? null : Math.round(score * 10) / 10, office])
    }
  }
}

export function writeDishonestDebtors(world: World, sink: TableSink): void {
  const { enterprises: e, people, households, courts } = world
  const r = createRandom(world.seed, 'dishonest_debtor')
  const pickBehaviour = createWeightedPicker(DISHONEST_BEHAVIOURS_WEIGHTED, (b) => b.weight)
  const out = sink.open('dishonest_debtor', [
    'case_no', 'debtor_type', 'debtor_name', 'debtor_resident_id', 'debtor_uscc', 'legal_rep_name', 'court',
    'filed_on', 'published_on', 'basis_doc', 'amount', 'performance', 'behaviour', 'removed_on',
  ])
  const serial = new Map<string, number>()
  for (const c of courts.cases) {
    const company = c.enterprise >= 0
    const district = company ? e.district[c.enterprise]! : households.district[people.household[c.person]!]!
    const d = DISTRICTS[district]!
    const year = new Date(c.filedDay * 86400000).getUTCFullYear()
    const key = `${d.courtCode}/${year}`
    const n = (serial.get(key) ?? r.int(100, 400)) + r.int(1, 7)
    serial.set(key, n)
    const removed = c.removedDay >= 0
    out.row([
      `（${year}）${d.courtCode}执${n}号`,
      company ? '法人或其他组织' : '自然人',
      company ? e.name[c.enterprise]! : people.name[c.person]!,
      company ? null : people.residentId[c.person]!,
      company ? e.uscc[c.enterprise]! : null,
      company ? people.name[e.legalRep[c.enterprise]!]! : null,
      d.court,
      dateOf(c.filedDay),
      dateOf(Math.min(c.publishedDay, AS_OF_DAY - 1)),
      `（${year - 1}）${d.courtCode}民初${r.int(100, 9999)}号`,
      c.amount,
      removed ? '已履行' : r.chance(0.85) ? '全部未履行' : '部分未履行',
      pickBehaviour(r).name,
      removed ? dateOf(c.removedDay) : null,
    ])
  }
}
