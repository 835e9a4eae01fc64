/**
 * Enterprises (市场主体) and employment. Each enterprise has a latent health in [0, 1] that the
 * catalog never shows but every signal follows: social-insurance arrears, tax arrears, credit
 * grade, court records, mortgages, utility use. Shells (空壳) are registered and alive on paper
 * with no insured staff, no utility use and no tax activity.
 */
import { makeUscc } from '../identifiers/index.ts'
import { AS_OF_DAY, CONTRIBUTION_PERIODS } from './calendar.ts'
import { createRandom, createWeightedPicker, clamp, upperBound, type Random } from './random.ts'
import { DISTRICTS, INDUSTRIES, ENTERPRISE_NAME_WORDS, ENTERPRISE_FORMS, type Industry } from './vocabulary.ts'
import { addPremises, COMMERCIAL, INDUSTRIAL, OFFICE, type Places } from './places.ts'
import type { Population } from './population.ts'

export const ENTERPRISE_TYPES = ['有限责任公司', '股份有限公司', '个人独资企业', '个体工商户', '农民专业合作社'] as const
export const ENTERPRISE_STATUSES = ['存续', '在业', '注销', '吊销', '迁出'] as const
const STATUS_ACTIVE = 0
const STATUS_OPERATING = 1
const STATUS_CANCELLED = 2
const STATUS_REVOKED = 3

export type Enterprises = {
  count: number
  uscc: string[]
  name: string[]
  type: Uint8Array
  status: Uint8Array
  district: Uint16Array
  industry: Uint8Array
  legalRep: Int32Array
  capital: Float64Array
  establishedDay: Int32Array
  /** Latent health: 1 sound … 0 failing. */
  health: Float32Array
  shell: Uint8Array
  /**
   * A small real business (微型企业: a consultancy, a web shop, a one-person design studio): it
   * trades, but insures at most one person and uses little power, often from a registration
   * agent's address like the shells; it is not a shell.
   */
  micro: Uint8Array
  /** Planned insured headcount. */
  size: Int32Array
  premises: Int32Array
  /** Share of staff wages paid into the housing fund (0 = none). */
  housingFundRate: Float32Array
  /** Social-insurance arrears episode [start, end) as month indexes into CONTRIBUTION_PERIODS, or -1. */
  arrearsStart: Int8Array
  arrearsEnd: Int8Array
  /** true when the arrears were still unpaid on the as-of day (欠缴), else paid late (补缴). */
  arrearsOpen: Uint8Array
  /** Tax arrears balance in yuan (0 = none) and the day they arose. */
  taxArrears: Float64Array
  taxArrearsSince: Int32Array
}

/** Employment of one person over the 24 contribution months: up to two spells. */
export type Employment = {
  employer1: Int32Array
  start1: Int8Array
  end1: Int8Array
  employer2: Int32Array
  start2: Int8Array
  end2: Int8Array
  /** Monthly wage in yuan (0 for persons never formally employed). */
  wage: Float32Array
  /**
   * Months off each winter of a seasonal worker (construction, farming, hotels: home from January
   * for the Spring Festival), 0 for everyone else. Their contributions stop and restart every year
   * like a lapse, with nothing wrong with their finances.
   */
  seasonalMonthsOff: Uint8Array
}

/** Industries whose workers are laid off each winter. */
const SEASONAL_INDUSTRIES = new Set(['A', 'E', 'H'])

export function isActiveStatus(status: number): boolean {
  return status === STATUS_ACTIVE || status === STATUS_OPERATING
}

export function generateEnterprises(
  seed: string | number,
  places: Places,
  people: Population,
  householdDistrict: Uint16Array,
): Enterprises {
  const r = createRandom(seed, 'enterprises')
  const count = Math.max(20, Math.round(people.count / 20))
  const pickDistrict = createWeightedPicker(
    DISTRICTS.map((_, i) => i),
    (i) => DISTRICTS[i]!.population,
  )
  const pickIndustry = createWeightedPicker(
    INDUSTRIES.map((_, i) => i),
    (i) => INDUSTRIES[i]!.weight,
  )
  const pickForm = createWeightedPicker(ENTERPRISE_FORMS, (f) => f.weight)
  const adults = workingAdults(people, householdDistrict)
  const e: Enterprises = {
    count,
    uscc: new Array<string>(count),
    name: new Array<string>(count),
    type: new Uint8Array(count),
    status: new Uint8Array(count),
    district: new Uint16Array(count),
    industry: new Uint8Array(count),
    legalRep: new Int32Array(count),
    capital: new Float64Array(count),
    establishedDay: new Int32Array(count),
    health: new Float32Array(count),
    shell: new Uint8Array(count),
    micro: new Uint8Array(count),
    size: new Int32Array(count),
    premises: new Int32Array(count),
    housingFundRate: new Float32Array(count),
    arrearsStart: new Int8Array(count).fill(-1),
    arrearsEnd: new Int8Array(count).fill(-1),
    arrearsOpen: new Uint8Array(count),
    taxArrears: new Float64Array(count),
    taxArrearsSince: new Int32Array(count),
  }
  const usedNames = new Set<string>()
  // shells cluster at a few "registration agent" addresses per district (集中登记地)
  const shellAddresses = new Map<number, number[]>()
  let orgSerial = 0
  for (let i = 0; i < count; i++) {
    const district = pickDistrict(r)
    const industry = pickIndustry(r)
    const form = pickForm(r)
    const d = DISTRICTS[district]!
    const shell = form.kind === 'company' && r.chance(0.04)
    const micro = form.kind === 'company' && !shell && r.chance(0.07)
    e.district[i] = district
    e.industry[i] = industry
    e.shell[i] = shell ? 1 : 0
    e.micro[i] = micro ? 1 : 0
    e.type[i] =
      form.kind === 'individual' ? 3 : form.kind === 'cooperative' ? 4 : form.suffix.includes('股份') ? 1 : r.chance(0.06) ? 2 : 0
    const ageYears = shell ? r.exponential(2.5) : r.exponential(7)
    e.establishedDay[i] = AS_OF_DAY - 30 - Math.floor(clamp(ageYears, 0.1, 35) * 365.25)
    // health: most firms sound, a tail in trouble; shells are hollow rather than failing
    e.health[i] = shell ? clamp(0.35 + r.normal() * 0.1, 0, 1) : clamp(0.72 + r.normal() * 0.2 - (r.chance(0.08) ? 0.35 : 0), 0, 1)
    const x = r.next()
    e.status[i] = shell ? STATUS_ACTIVE : x < 0.04 ? STATUS_CANCELLED : x < 0.06 ? STATUS_REVOKED : x < 0.075 ? 4 : x < 0.5 ? STATUS_OPERATING : STATUS_ACTIVE
    const pool = adults.get(district)!.length > 0 ? adults.get(district)! : [...adults.values()].find((l) => l.length > 0)!
    e.legalRep[i] = pool[r.int(0, pool.length - 1)]!
    const ind = INDUSTRIES[industry]!
    e.name[i] = enterpriseName(d.city, d.name, ind, form, people.name[e.legalRep[i]!]!, usedNames, r)
    const category = form.kind === 'individual' ? '2' : form.kind === 'cooperative' ? '3' : '1'
    orgSerial++
    const body = organizationBody(orgSerial, r)
    e.uscc[i] = makeUscc('9', category, d.code, body)
    e.capital[i] =
      form.kind === 'individual' ? Math.round(r.lognormal(Math.log(5), 0.8) * 100) / 100 : Math.round(r.lognormal(Math.log(100), 1.1)) 
    // planned insured headcount: individual businesses rarely insure staff; a quarter of the shells
    // pay one person's social insurance (挂靠: a contribution record bought, not a job)
    const size = shell
      ? r.chance(0.25) ? 1 : 0
      : micro
        ? r.chance(0.55) ? 1 : 0
        : form.kind === 'individual'
        ? r.chance(0.25) ? r.int(1, 3) : 0
        : Math.max(1, Math.round(r.lognormal(Math.log(5), 1.15) * (0.6 + e.health[i]!)))
    e.size[i] = isActiveStatus(e.status[i]!) ? Math.min(size, 3000) : 0
    e.housingFundRate[i] =
      form.kind === 'company' && !shell && e.health[i]! > 0.55 && r.chance(0.25 + 0.5 * e.health[i]!) ? r.pick([0.05, 0.07, 0.08, 0.1, 0.12]) : 0
    // premises: shells share agent addresses, and so do half the small real businesses; the rest
    // have their own shop, office or workshop
    if (shell || (micro && r.chance(0.5))) {
      let list = shellAddresses.get(district)
      if (list === undefined) {
        list = Array.from({ length: 3 }, () => addPremises(places, district, OFFICE, r))
        shellAddresses.set(district, list)
      }
      e.premises[i] = r.pick(list)
    } else {
      const type = ind.code === 'C' || ind.code === 'B' ? INDUSTRIAL : ['F', 'H', 'O'].includes(ind.code) ? COMMERCIAL : OFFICE
      e.premises[i] = addPremises(places, district, type, r)
    }
    // social-insurance arrears episode: the weaker the firm, the likelier and longer
    const risk = 1 - e.health[i]!
    if (e.size[i]! > 0 && r.chance(clamp(0.015 + 1.6 * Math.max(0, risk - 0.3) ** 1.2, 0, 0.9))) {
      const length = clamp(Math.round(1 + r.exponential(2 + 6 * risk)), 1, 12)
      const start = r.int(0, CONTRIBUTION_PERIODS.length - 1)
      e.arrearsStart[i] = start
      e.arrearsEnd[i] = Math.min(CONTRIBUTION_PERIODS.length, start + length)
      e.arrearsOpen[i] = e.arrearsEnd[i] === CONTRIBUTION_PERIODS.length || r.chance(risk * 0.5) ? 1 : 0
    }
    // tax arrears: rare for sound firms, common for failing ones
    if (!shell && r.chance(clamp(0.008 + 1.4 * Math.max(0, risk - 0.35) ** 1.2, 0, 0.8))) {
      e.taxArrears[i] = Math.round(r.lognormal(Math.log(15000 * (1 + e.size[i]! / 8)), 1) * 100) / 100
      e.taxArrearsSince[i] = AS_OF_DAY - r.int(30, 900)
    }
  }
  return e
}

/** Persons 25–65 grouped by the district of their household. */
export function workingAdults(people: Population, householdDistrict: Uint16Array): Map<number, number[]> {
  const byDistrict = new Map<number, number[]>()
  for (let d = 0; d < DISTRICTS.length; d++) byDistrict.set(d, [])
  for (let p = 0; p < people.count; p++) {
    const age = people.age[p]!
    if (age >= 25 && age <= 65) byDistrict.get(householdDistrict[people.household[p]!]!)!.push(p)
  }
  return byDistrict
}

/** GB 11714 organisation-code body: 8 characters, a distinct serial dressed with a random letter. */
function organizationBody(serial: number, r: Random): string {
  const letters = 'ABCDEFGHJKLMNPQRTUWXY'
  const prefix = r.chance(0.5) ? r.pick([...letters]) : String(r.int(0, 9))
  return prefix + String(serial % 10_000_000).padStart(7, '0')
}

function enterpriseName(
  city: string,
  district: string,
  industry: Industry,
  form: (typeof ENTERPRISE_FORMS)[number],
  legalRepName: string,
  used: Set<string>,
  r: Random,
): string {
  const place = r.chance(0.6) ? city.replace(/市$/, '') : district.replace(/[市县区]$/, '')
  for (let attempt = 0; attempt < 8; attempt++) {
    const word = r.pick(ENTERPRISE_NAME_WORDS)
    const trade = r.pick(industry.nameWords)
    const name =
      form.kind === 'individual'
        ? `${district.replace(/[市县区]$/, '')}${word}${trade}${form.suffix}`
        : form.kind === 'cooperative'
          ? `${district}${word}${trade}${form.suffix}`
          : `${place}${word}${trade}${form.suffix}`
    if (!used.has(name)) {
      used.add(name)
      return name
    }
  }
  const fallback = `${place}${legalRepName.slice(0, 1)}氏${r.pick(ENTERPRISE_NAME_WORDS)}${r.pick(industry.nameWords)}${form.suffix}${used.size}`
  used.add(fallback)
  return fallback
}

/**
 * Formal employment: working-age persons are employed by active, non-shell enterprises in
 * proportion to their planned size; some change jobs with a gap, some join or leave.
 */
export function generateEmployment(seed: string | number, people: Population, e: Enterprises): Employment {
  const r = createRandom(seed, 'employment')
  // a stream of its own, so that planting personal distress leaves every other draw as it was
  const distress = createRandom(seed, 'employment-distress')
  const n = people.count
  const emp: Employment = {
    employer1: new Int32Array(n).fill(-1),
    start1: new Int8Array(n),
    end1: new Int8Array(n),
    employer2: new Int32Array(n).fill(-1),
    start2: new Int8Array(n),
    end2: new Int8Array(n),
    wage: new Float32Array(n),
    seasonalMonthsOff: new Uint8Array(n),
  }
  const seasonal = createRandom(seed, 'employment-seasonal')
  // cumulative planned headcount → draw an employer in proportion to size
  const hiring: number[] = []
  for (let i = 0; i < e.count; i++) if (e.size[i]! > 0) hiring.push(i)
  if (hiring.length === 0) return emp
  const cumulative = new Float64Array(hiring.length)
  let total = 0
  hiring.forEach((i, k) => {
    total += e.size[i]!
    cumulative[k] = total
  })
  const draw = (): number => hiring[upperBound(cumulative, r.next() * total)]!
  const months = CONTRIBUTION_PERIODS.length
  // the share employed is set so that the planned headcounts are roughly filled
  const workingAge = countWorkingAge(people)
  const share = clamp(total / Math.max(1, workingAge), 0.2, 0.75)
  for (let p = 0; p < n; p++) {
    const age = people.age[p]!
    const retirement = people.male[p] === 1 ? 60 : 55
    if (age < 18 || age > retirement || !r.chance(share)) continue
    const employer = draw()
    emp.employer1[p] = employer
    emp.start1[p] = r.chance(0.08) ? r.int(1, months - 4) : 0
    emp.end1[p] = months
    const ind = INDUSTRIES[e.industry[employer]!]!
    const experience = clamp((age - 20) / 25, 0, 1)
    emp.wage[p] = Math.round(3600 * ind.wageIndex * (0.7 + 0.6 * e.health[employer]!) * (0.8 + 0.5 * experience) * people.income[p]!)
    const x = r.next()
    if (x < 0.1) {
      // job change with a gap of 1–6 months (断缴), then another employer
      const end = r.int(emp.start1[p]! + 1, months - 2)
      const gap = r.int(1, 6)
      emp.end1[p] = end
      if (end + gap < months) {
        emp.employer2[p] = draw()
        emp.start2[p] = end + gap
        emp.end2[p] = months
      }
    } else if (x < 0.16) {
      // left formal employment
      emp.end1[p] = r.int(emp.start1[p]! + 1, months - 1)
    }
    if (emp.employer2[p] === -1 && emp.end1[p] === months && SEASONAL_INDUSTRIES.has(INDUSTRIES[e.industry[employer]!]!.code) && seasonal.chance(0.35)) {
      emp.seasonalMonthsOff[p] = seasonal.chance(0.6) ? 2 : 3
      continue
    }
    // personal financial distress shows in work: the more distressed, the likelier a lapse in formal
    // employment (断缴) and the longer it lasts
    const risk = people.risk[p]!
    if (emp.employer2[p] === -1 && emp.end1[p] === months && emp.start1[p]! < months - 3 && distress.chance(clamp((risk - 0.25) * 2.5, 0, 0.92))) {
      const length = clamp(Math.round(1 + risk * 12 + distress.normal()), 1, 14)
      const gapStart = distress.int(emp.start1[p]! + 1, months - 2)
      emp.end1[p] = gapStart
      if (gapStart + length < months) {
        emp.employer2[p] = emp.employer1[p]!
        emp.start2[p] = gapStart + length
        emp.end2[p] = months
      }
    }
  }
  buyContributionRecords(seed, people, e, emp)
  return emp
}

/**
 * A shell that insures one person pays for a contribution record (挂靠), not for a job: someone
 * of working age with no formal employment of their own is on its books for the whole window.
 */
function buyContributionRecords(seed: string | number, people: Population, e: Enterprises, emp: Employment): void {
  const r = createRandom(seed, 'employment-nominal')
  const months = CONTRIBUTION_PERIODS.length
  const staffed = new Uint8Array(e.count)
  for (let p = 0; p < people.count; p++) if (emp.employer1[p]! >= 0) staffed[emp.employer1[p]!] = 1
  for (let i = 0; i < e.count; i++) {
    if (e.shell[i] === 0 || e.size[i] === 0 || staffed[i] === 1) continue
    for (let attempt = 0; attempt < 50; attempt++) {
      const p = r.int(0, people.count - 1)
      if (emp.employer1[p]! >= 0 || people.age[p]! < 25 || people.age[p]! > 55) continue
      emp.employer1[p] = i
      emp.start1[p] = 0
      emp.end1[p] = months
      emp.wage[p] = 4500
      break
    }
  }
}

function countWorkingAge(people: Population): number {
  let c = 0
  for (let p = 0; p < people.count; p++) {
    const age = people.age[p]!
    if (age >= 18 && age <= (people.male[p] === 1 ? 60 : 55)) c++
  }
  return c
}
