import { defineProduct, t, type Row } from 'indomain/sdk'

/**
 * 养老与残疾人服务需求热点 — per township or subdistrict (乡镇/街道): how many residents are likely to need
 * elderly or disability services (care at home, day care, rehabilitation), per thousand residents,
 * and which places are the hotspots — the fifth with most people in need — for siting care
 * institutions and rehabilitation centres and for planning home-visit rounds.
 *
 * The unit is the home (standard address). `classify` reads one home's residents (their birth
 * year), the elderly register's subsidies and the disability register's certificates and recorded
 * needs, and gives each resident a chance of needing services; the runtime adds the homes of each
 * place up, withholds places of fewer than ten homes (and any figure a few homes dominate), and
 * `run` turns the released sums into rates and hotspots. No person, home or count below a place
 * leaves.
 */

/**
 * A resident's chance of needing services, fitted on the tuning cities only (least squares of each
 * place's surveyed count of people in need on the sum of its residents' chances, weighted by
 * 1/√residents): old age takes abilities away along a logistic curve in age (half the people of
 * OLD_AGE_MIDPOINT, spread OLD_AGE_SPREAD years); a certified disability adds its own chance, by
 * whether the 残联's survey recorded a need — and a certificate also stands for the uncertified
 * disabled of its place (fewer than half apply), which is why a recorded "no need" weighs so much.
 */
const OLD_AGE_MIDPOINT = 85.2
const OLD_AGE_SPREAD = 3.4
const CERTIFIED_NEED = 1
const CERTIFIED_NO_NEED = { young: 0.65, old: 0.75 }
const UNCERTIFIED = { young: 0.03, old: 0.008 }
/** An old person the assessment found severely or wholly unable (the subsidy is theirs alone) needs care by definition. */
const DISABLED_ELDERLY_SUBSIDY = '失能老年人护理补贴'
/** The share of places marked as hotspots, as the plan's survey draws them. */
const HOTSPOT_SHARE = 0.2

export default defineProduct({
  id: 'care-service-hotspots',
  version: '1.0.0',
  kind: 'report',
  title: '养老与残疾人服务需求热点',
  category: '公共治理',
  description: '按乡镇（街道）估计需要养老或残疾人服务（居家照护、托养、康复）的人数及每千人需求，标出需求最多的五分之一为热点，供养老机构、康复设施布局和上门服务路线规划；不足10户的乡镇（街道）不予发布。',
  scenario: {
    purpose: '识别养老服务、残疾人服务需求热点区域，优化养老机构、康复设施布局与上门服务路径（公共治理）',
    tables: {
      standard_address: { key: 'address_code', fields: { district_code: '区县', street: '乡镇（街道）' } },
      household_registration: { key: 'address_code', fields: { resident_id: '同一人在各表间关联（假名）', birth_date: '年龄（仅出生年份）' } },
      elderly_info: { key: 'address_code', fields: { resident_id: '同一人在各表间关联（假名）', subsidy: '是否享受失能老年人护理补贴' } },
      disabled_person: { key: 'address_code', fields: { resident_id: '同一人在各表间关联（假名）', status: '仅有效证件', service_need: '残联调查记录的服务需求' } },
    },
  },
  unit: 'standard_address',
  aggregates: {
    places: {
      by: { district: { pattern: '^\\d{6}$', maxLength: 6 }, street: { pattern: '^.{1,20}$', maxLength: 20 } },
      measures: {
        residents: { sum: { min: 0, max: 50 } },
        elderly: { sum: { min: 0, max: 50 } },
        certified: { sum: { min: 0, max: 50 } },
        inNeed: { sum: { min: 0, max: 50 } },
      },
    },
  },
  input: t.object({ district: t.nullable(t.string({ pattern: '^\\d{6}$' })) }),
  output: t.object({
    places: t.array(
      t.object({
        district: t.string({ pattern: '^\\d{6}$' }),
        street: t.string({ maxLength: 20 }),
        homes: t.integer({ minimum: 0 }),
        residents: t.integer({ minimum: 0 }),
        elderly: t.nullable(t.integer({ minimum: 0 })),
        certifiedDisabled: t.nullable(t.integer({ minimum: 0 })),
        inNeed: t.integer({ minimum: 0 }),
        needPerThousand: t.number({ minimum: 0, maximum: 1000 }),
        hotspot: t.boolean(),
      }),
      { maxItems: 5_000 },
    ),
    hotspots: t.integer({ minimum: 0 }),
    suppressedPlaces: t.integer({ minimum: 0 }),
  }),
  classify(home, input) {
    const address = home.rows('standard_address')[0]
    if (address === undefined || address.district_code === null || address.street === null) return {}
    if (input.district !== null && address.district_code !== input.district) return {}
    const residents = home.rows('household_registration')
    if (residents.length === 0) return {}
    const year = Number(home.asOf.slice(0, 4))
    const subsidised = new Set(home.rows('elderly_info').filter((e) => e.subsidy === DISABLED_ELDERLY_SUBSIDY).map((e) => e.resident_id))
    const certificates = new Map(home.rows('disabled_person').filter((d) => d.status === '有效').map((d) => [d.resident_id, d]))
    let elderly = 0
    let inNeed = 0
    for (const person of residents) {
      const age = year - Number(String(person.birth_date ?? '').slice(0, 4))
      const old = age >= 60
      if (old) elderly++
      inNeed += chanceOfNeed(old ? age : null, subsidised.has(person.resident_id), certificates.get(person.resident_id))
    }
    return {
      aggregates: {
        places: { by: { district: String(address.district_code), street: String(address.street) }, values: { residents: residents.length, elderly, certified: certificates.size, inNeed } },
      },
    }
  },
  run(ctx) {
    const { cells, suppressed } = ctx.aggregate('places')
    let withheld = suppressed
    const places = []
    for (const c of cells) {
      const { residents, elderly, certified, inNeed } = c.values
      // a place whose residents or need the rules withheld is not published at all; a count of the
      // elderly or of certificates that a few homes dominate is left out alone (null)
      if (residents === undefined || inNeed === undefined || residents === 0) {
        withheld++
        continue
      }
      const perThousand = Math.min(1000, Math.round((10_000 * inNeed) / residents) / 10)
      places.push({ district: c.by.district!, street: c.by.street!, homes: c.count, residents, elderly: elderly ?? null, certifiedDisabled: certified ?? null, inNeed: Math.round(inNeed), needPerThousand: perThousand, hotspot: false, need: inNeed })
    }
    // hotspots: the fifth of all places with most people in need (a withheld place, of few homes, is none)
    const ranked = [...places].sort((a, b) => b.need - a.need)
    const count = places.length === 0 ? 0 : Math.max(1, Math.round((places.length + withheld) * HOTSPOT_SHARE))
    for (const p of ranked.slice(0, count)) p.hotspot = true
    places.sort((a, b) => (a.district + a.street < b.district + b.street ? -1 : 1))
    return { places: places.map(({ need: _, ...p }) => p), hotspots: Math.min(count, places.length), suppressedPlaces: withheld }
  },
})

/**
 * One resident's chance of needing services: the chance old age (`age`, null under 60) has taken
 * abilities away, or that a disability calls for care; either is enough.
 */
function chanceOfNeed(age: number | null, subsidised: boolean, certificate: Row | undefined): number {
  const frail = age === null ? 0 : subsidised ? 1 : 1 / (1 + Math.exp(-(age - OLD_AGE_MIDPOINT) / OLD_AGE_SPREAD))
  const group = age === null ? 'young' : 'old'
  const disabled = certificate === undefined ? UNCERTIFIED[group] : certificate.service_need === '无' ? CERTIFIED_NO_NEED[group] : CERTIFIED_NEED
  return 1 - (1 - frail) * (1 - disabled)
}
