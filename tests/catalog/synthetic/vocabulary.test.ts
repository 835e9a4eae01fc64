import { describe, it, expect } from 'vitest'
import {
  ADULT_EDUCATION_WEIGHTS,
  BANK_BRANCH_LOCALITIES,
  BUS_STOP_LANDMARKS,
  BUS_STOP_PATTERNS,
  BUS_STOP_SUFFIXES,
  CITY_LANDMARKS,
  COMMERCIAL_VEHICLE_BRANDS,
  COMPOUND_NAME_PARTS,
  DISHONEST_BEHAVIOURS,
  DISHONEST_BEHAVIOURS_WEIGHTED,
  DISTRICTS,
  EDUCATION_LEVELS,
  ELDERLY_CARE_LEVELS,
  ELDERLY_INSTITUTION_NAME_PARTS,
  ELDERLY_SUBSIDIES,
  ENTERPRISE_FORMS,
  ENTERPRISE_NAME_WORDS,
  ETHNICITIES,
  GIVEN_NAME_CHARS,
  HOUSEHOLD_RELATIONS,
  INDUSTRIES,
  MARITAL_STATUSES,
  MORTGAGEES,
  REGIONAL_SURNAME_MULTIPLIERS,
  SURNAMES,
  TAX_TYPES,
  UTILITY_COMPANIES,
  VEHICLE_BRANDS,
  VEHICLE_COLORS,
  VEHICLE_TYPES,
} from '../../../catalog/synthetic/vocabulary.ts'

const CITY_PREFIX: Record<string, string> = { '3415': '六安市', '3417': '池州市', '4202': '黄石市', '1402': '大同市' }
const PROVINCE_OF_CITY: Record<string, string> = { 六安市: '安徽省', 池州市: '安徽省', 黄石市: '湖北省', 大同市: '山西省' }
const PLATE_OF_CITY: Record<string, string> = { 六安市: '皖N', 池州市: '皖R', 黄石市: '鄂B', 大同市: '晋B' }
const ABBREVIATION_OF_PROVINCE: Record<string, string> = { 安徽省: '皖', 湖北省: '鄂', 山西省: '晋' }

const cities = new Set(DISTRICTS.map((d) => d.city))
const provinces = new Set(DISTRICTS.map((d) => d.province))
const districtByCode = new Map(DISTRICTS.map((d) => [d.code, d]))

function unique(values: readonly string[]): boolean {
  return new Set(values).size === values.length
}

function expectPositiveWeights(items: readonly { weight: number }[], label: string): void {
  expect(items.length, label).toBeGreaterThan(0)
  for (const item of items) {
    expect(Number.isFinite(item.weight), `${label}: ${JSON.stringify(item)}`).toBe(true)
    expect(item.weight, `${label}: ${JSON.stringify(item)}`).toBeGreaterThan(0)
  }
}

const HAN = /^\p{Script=Han}+$/u

describe('DISTRICTS', () => {
  it('lists the 22 county-level divisions of the four cities', () => {
    expect(DISTRICTS.length).toBe(22)
    expect([...cities].sort()).toEqual(['六安市', '大同市', '池州市', '黄石市'].sort())
    const count = (city: string) => DISTRICTS.filter((d) => d.city === city).length
    expect(count('六安市')).toBe(7)
    expect(count('池州市')).toBe(4)
    expect(count('黄石市')).toBe(1)
    expect(count('大同市')).toBe(10)
  })

  it('has unique 6-digit codes whose first 4 digits match the city', () => {
    expect(unique(DISTRICTS.map((d) => d.code))).toBe(true)
    expect(unique(DISTRICTS.map((d) => d.name))).toBe(true)
    for (const d of DISTRICTS) {
      expect(d.code, d.name).toMatch(/^\d{6}$/)
      expect(CITY_PREFIX[d.code.slice(0, 4)], d.name).toBe(d.city)
      expect(PROVINCE_OF_CITY[d.city], d.name).toBe(d.province)
      expect(d.cityPlatePrefix, d.name).toBe(PLATE_OF_CITY[d.city])
    }
  })

  it('pins the codes checked against GB/T 2260', () => {
    const byName = Object.fromEntries(DISTRICTS.map((d) => [d.name, d.code]))
    expect(byName).toEqual({
      金安区: '341502', 裕安区: '341503', 叶集区: '341504', 霍邱县: '341522', 舒城县: '341523', 金寨县: '341524',
      霍山县: '341525', 贵池区: '341702', 东至县: '341721', 石台县: '341722', 青阳县: '341723', 大冶市: '420281',
      新荣区: '140212', 平城区: '140213', 云冈区: '140214', 云州区: '140215', 阳高县: '140221', 天镇县: '140222',
      广灵县: '140223', 灵丘县: '140224', 浑源县: '140225', 左云县: '140226',
    })
  })

  it('names 大冶 so that addresses read 湖北省黄石市大冶市', () => {
    const daye = districtByCode.get('420281')
    expect(daye && `${daye.province}${daye.city}${daye.name}`).toBe('湖北省黄石市大冶市')
  })

  it('gives every district 8-12 unique streets and roads', () => {
    for (const d of DISTRICTS) {
      for (const [label, list] of [['streets', d.streets], ['roads', d.roads]] as const) {
        expect(list.length, `${d.name} ${label}`).toBeGreaterThanOrEqual(8)
        expect(list.length, `${d.name} ${label}`).toBeLessThanOrEqual(12)
        expect(unique(list), `${d.name} ${label}`).toBe(true)
        for (const s of list) expect(s, `${d.name} ${label}`).toMatch(HAN)
      }
      for (const s of d.streets) expect(s, d.name).toMatch(/(街道|镇|乡|开发区)$/)
      for (const r of d.roads) expect(r, d.name).toMatch(/(路|大道|街)$/)
    }
  })

  it('has positive populations summing to roughly the four cities (≈ 9.7 million)', () => {
    for (const d of DISTRICTS) {
      expect(Number.isInteger(d.population), d.name).toBe(true)
      expect(d.population, d.name).toBeGreaterThan(50_000)
    }
    const total = DISTRICTS.reduce((sum, d) => sum + d.population, 0)
    expect(total).toBeGreaterThan(9_000_000)
    expect(total).toBeLessThan(10_500_000)
  })

  it('names the basic court with a case code of province abbreviation + last 4 code digits', () => {
    expect(unique(DISTRICTS.map((d) => d.court))).toBe(true)
    for (const d of DISTRICTS) {
      expect(d.court, d.name).toMatch(new RegExp(`${d.name}人民法院$`))
      expect(d.courtCode, d.name).toBe(`${ABBREVIATION_OF_PROVINCE[d.province]}${d.code.slice(2)}`)
    }
  })

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(DISTRICTS)).toBe(true)
    for (const d of DISTRICTS) {
      expect(Object.isFrozen(d)).toBe(true)
      expect(Object.isFrozen(d.streets)).toBe(true)
      expect(Object.isFrozen(d.roads)).toBe(true)
    }
  })
})

describe('CITY_LANDMARKS', () => {
  it('covers exactly the cities of DISTRICTS', () => {
    expect(Object.keys(CITY_LANDMARKS).sort()).toEqual([...cities].sort())
    for (const list of Object.values(CITY_LANDMARKS)) {
      expect(list.length).toBeGreaterThanOrEqual(5)
      expect(unique(list)).toBe(true)
    }
  })
})

describe('people', () => {
  it('SURNAMES: ~100+ unique Han surnames of 1-2 characters with positive weights, 王 李 张 on top', () => {
    expect(SURNAMES.length).toBeGreaterThanOrEqual(100)
    expect(unique(SURNAMES.map((s) => s.name))).toBe(true)
    expectPositiveWeights(SURNAMES, 'SURNAMES')
    for (const s of SURNAMES) expect(s.name).toMatch(/^\p{Script=Han}{1,2}$/u)
    const top = [...SURNAMES].sort((a, b) => b.weight - a.weight).slice(0, 3).map((s) => s.name)
    expect(top).toEqual(['王', '李', '张'])
    const compound = SURNAMES.filter((s) => [...s.name].length === 2).map((s) => s.name)
    for (const name of ['欧阳', '司马', '诸葛']) expect(compound).toContain(name)
    for (const s of SURNAMES.filter((x) => [...x.name].length === 2)) expect(s.weight).toBeLessThan(0.1)
  })

  it('REGIONAL_SURNAME_MULTIPLIERS only touches listed surnames of known provinces', () => {
    const names = new Set(SURNAMES.map((s) => s.name))
    for (const [province, multipliers] of Object.entries(REGIONAL_SURNAME_MULTIPLIERS)) {
      expect(provinces.has(province), province).toBe(true)
      for (const [name, m] of Object.entries(multipliers)) {
        expect(names.has(name), `${province} ${name}`).toBe(true)
        expect(m, `${province} ${name}`).toBeGreaterThan(0)
      }
    }
  })

  it('GIVEN_NAME_CHARS: each list has ≥ 80 unique single Han characters', () => {
    for (const [gender, chars] of Object.entries(GIVEN_NAME_CHARS)) {
      expect(chars.length, gender).toBeGreaterThanOrEqual(80)
      expect(unique(chars), gender).toBe(true)
      for (const c of chars) expect(c, gender).toMatch(/^\p{Script=Han}$/u)
    }
    expect(Object.isFrozen(GIVEN_NAME_CHARS.male)).toBe(true)
  })

  it('ETHNICITIES: unique, positive, 汉族 dominant', () => {
    expect(unique(ETHNICITIES.map((e) => e.name))).toBe(true)
    expectPositiveWeights(ETHNICITIES, 'ETHNICITIES')
    const total = ETHNICITIES.reduce((s, e) => s + e.weight, 0)
    const han = ETHNICITIES.find((e) => e.name === '汉族')
    expect(han && han.weight / total).toBeGreaterThan(0.9)
    for (const e of ETHNICITIES) expect(e.name).toMatch(/族$/)
    for (const name of ['回族', '满族', '蒙古族', '壮族', '土家族', '苗族']) {
      expect(ETHNICITIES.map((e) => e.name)).toContain(name)
    }
  })

  it('EDUCATION_LEVELS, MARITAL_STATUSES, HOUSEHOLD_RELATIONS', () => {
    expect(unique(EDUCATION_LEVELS)).toBe(true)
    expect(EDUCATION_LEVELS.length).toBeGreaterThanOrEqual(8)
    expectPositiveWeights(ADULT_EDUCATION_WEIGHTS, 'ADULT_EDUCATION_WEIGHTS')
    for (const w of ADULT_EDUCATION_WEIGHTS) expect(EDUCATION_LEVELS).toContain(w.name)
    expect([...MARITAL_STATUSES]).toEqual(['未婚', '已婚', '离婚', '丧偶'])
    expect([...HOUSEHOLD_RELATIONS]).toEqual([
      '户主', '配偶', '子', '女', '父亲', '母亲', '孙子', '孙女', '儿媳', '女婿', '兄弟姐妹', '其他',
    ])
    expect(Object.isFrozen(MARITAL_STATUSES)).toBe(true)
  })
})

describe('COMPOUND_NAME_PARTS', () => {
  it('has ≥ 60 unique prefixes (with local ones) and ≥ 15 unique suffixes', () => {
    const { prefixes, suffixes, standalone } = COMPOUND_NAME_PARTS
    expect(prefixes.length).toBeGreaterThanOrEqual(60)
    expect(suffixes.length).toBeGreaterThanOrEqual(15)
    expect(unique(prefixes)).toBe(true)
    expect(unique(suffixes)).toBe(true)
    expect(unique(standalone)).toBe(true)
    for (const local of ['皋城', '淠河', '九华', '秋浦', '云冈', '御河', '铜都', '雁门']) expect(prefixes).toContain(local)
    for (const w of [...prefixes, ...suffixes, ...standalone]) expect(w).toMatch(HAN)
  })
})

describe('enterprises', () => {
  it('INDUSTRIES: unique single capital letters A-R, positive numbers, name words', () => {
    const codes = INDUSTRIES.map((i) => i.code)
    expect(unique(codes)).toBe(true)
    for (const code of codes) expect(code).toMatch(/^[A-Z]$/)
    expect([...codes].sort()).toEqual('ABCDEFGHIJKLMNOPQR'.split(''))
    expectPositiveWeights(INDUSTRIES, 'INDUSTRIES')
    for (const i of INDUSTRIES) {
      expect(i.wageIndex, i.code).toBeGreaterThan(0)
      expect(i.powerIntensity, i.code).toBeGreaterThan(0)
      expect(i.nameWords.length, i.code).toBeGreaterThanOrEqual(5)
      expect(unique(i.nameWords), i.code).toBe(true)
    }
  })

  it('INDUSTRIES: F, L, C, E, I are the largest', () => {
    const top = [...INDUSTRIES].sort((a, b) => b.weight - a.weight).slice(0, 5).map((i) => i.code)
    expect(top.sort()).toEqual(['C', 'E', 'F', 'I', 'L'])
  })

  it('ENTERPRISE_NAME_WORDS: ≥ 150 unique two-character words', () => {
    expect(ENTERPRISE_NAME_WORDS.length).toBeGreaterThanOrEqual(150)
    expect(unique(ENTERPRISE_NAME_WORDS)).toBe(true)
    for (const w of ENTERPRISE_NAME_WORDS) expect(w).toMatch(/^\p{Script=Han}{2}$/u)
  })

  it('ENTERPRISE_FORMS: unique suffixes, positive weights, every kind present', () => {
    expect(unique(ENTERPRISE_FORMS.map((f) => f.suffix))).toBe(true)
    expectPositiveWeights(ENTERPRISE_FORMS, 'ENTERPRISE_FORMS')
    expect(new Set(ENTERPRISE_FORMS.map((f) => f.kind))).toEqual(new Set(['company', 'individual', 'cooperative']))
    for (const f of ENTERPRISE_FORMS.filter((x) => x.kind === 'company')) expect(f.suffix).toMatch(/公司$/)
    for (const f of ENTERPRISE_FORMS.filter((x) => x.kind === 'cooperative')) expect(f.suffix).toMatch(/合作社$/)
  })
})

describe('MORTGAGEES', () => {
  it('has unique head names and positive weights', () => {
    expect(unique(MORTGAGEES.map((b) => b.headName))).toBe(true)
    expectPositiveWeights(MORTGAGEES, 'MORTGAGEES')
  })

  it('restricts to cities, provinces and districts that exist, consistently', () => {
    for (const b of MORTGAGEES) {
      if (b.city !== undefined) {
        expect(cities.has(b.city), b.headName).toBe(true)
        if (b.province !== undefined) expect(PROVINCE_OF_CITY[b.city], b.headName).toBe(b.province)
      }
      if (b.province !== undefined) expect(provinces.has(b.province), b.headName).toBe(true)
      for (const code of b.districts ?? []) {
        const d = districtByCode.get(code)
        expect(d, `${b.headName} ${code}`).toBeDefined()
        expect(d?.city, `${b.headName} ${code}`).toBe(b.city)
      }
    }
  })

  it('has the local 农商行 of each city and a 城商行 per province', () => {
    for (const city of cities) {
      expect(MORTGAGEES.some((b) => b.mortgageeClass === '农村商业银行' && b.city === city), city).toBe(true)
    }
    for (const province of provinces) {
      expect(MORTGAGEES.some((b) => b.mortgageeClass === '城市商业银行' && b.province === province), province).toBe(true)
    }
    const named = MORTGAGEES.map((b) => b.headName)
    for (const name of [
      '安徽六安农村商业银行股份有限公司', '安徽池州九华农村商业银行股份有限公司',
      '湖北大冶农村商业银行股份有限公司', '山西大同农村商业银行股份有限公司',
    ]) expect(named).toContain(name)
  })

  it('every district can find a local 农商行, and unrestricted banks branch per city', () => {
    for (const d of DISTRICTS) {
      const local = MORTGAGEES.filter(
        (b) => b.mortgageeClass === '农村商业银行' && b.city === d.city && (b.districts === undefined || b.districts.includes(d.code)),
      )
      expect(local.length, d.name).toBeGreaterThan(0)
    }
    for (const b of MORTGAGEES.filter((x) => x.city === undefined)) expect(b.branchPerCity, b.headName).toBe(true)
    for (const b of MORTGAGEES.filter((x) => x.branchPerCity)) expect(b.headName).toMatch(/有限公司$/)
  })

  it('BANK_BRANCH_LOCALITIES labels every city', () => {
    expect(Object.keys(BANK_BRANCH_LOCALITIES).sort()).toEqual([...cities].sort())
    for (const label of Object.values(BANK_BRANCH_LOCALITIES)) expect(label).toMatch(/(分行|支行)$/)
  })
})

describe('tax, courts, vehicles, buses, elderly care, utilities', () => {
  it('TAX_TYPES and DISHONEST_BEHAVIOURS', () => {
    expect(unique(TAX_TYPES.map((t) => t.name))).toBe(true)
    expectPositiveWeights(TAX_TYPES, 'TAX_TYPES')
    for (const name of ['增值税', '企业所得税', '个人所得税(代扣代缴)', '城市维护建设税', '房产税', '城镇土地使用税', '印花税', '土地增值税', '资源税']) {
      expect(TAX_TYPES.map((t) => t.name)).toContain(name)
    }
    expect(DISHONEST_BEHAVIOURS.length).toBe(6)
    expect(unique(DISHONEST_BEHAVIOURS)).toBe(true)
    expect(DISHONEST_BEHAVIOURS).toEqual(DISHONEST_BEHAVIOURS_WEIGHTED.map((b) => b.name))
    expectPositiveWeights(DISHONEST_BEHAVIOURS_WEIGHTED, 'DISHONEST_BEHAVIOURS_WEIGHTED')
    expect(DISHONEST_BEHAVIOURS).toContain('有履行能力而拒不履行生效法律文书确定义务')
  })

  it('vehicles', () => {
    expect(VEHICLE_BRANDS.length).toBeGreaterThanOrEqual(30)
    expect(unique(VEHICLE_BRANDS)).toBe(true)
    expect(unique(COMMERCIAL_VEHICLE_BRANDS)).toBe(true)
    expect(unique(VEHICLE_COLORS.map((c) => c.name))).toBe(true)
    expectPositiveWeights(VEHICLE_COLORS, 'VEHICLE_COLORS')
    expect(unique(VEHICLE_TYPES.map((t) => t.name))).toBe(true)
    expectPositiveWeights(VEHICLE_TYPES, 'VEHICLE_TYPES')
    for (const t of VEHICLE_TYPES) expect(t.name).toMatch(/(客车|轿车|货车|牵引车)$/)
    for (const t of VEHICLE_TYPES.filter((x) => x.name.endsWith('货车') || x.name.endsWith('牵引车'))) {
      expect(t.commercial, t.name).toBe(true)
    }
  })

  it('bus stops: patterns only use known tokens', () => {
    expect(unique(BUS_STOP_SUFFIXES)).toBe(true)
    expect(unique(BUS_STOP_LANDMARKS)).toBe(true)
    expectPositiveWeights(BUS_STOP_PATTERNS, 'BUS_STOP_PATTERNS')
    const tokens = new Set(['road', 'road2', 'compound', 'town', 'subdistrict', 'landmark', 'suffix'])
    for (const { pattern } of BUS_STOP_PATTERNS) {
      for (const m of pattern.matchAll(/\{(\w+)\}/g)) expect(tokens.has(m[1] ?? ''), pattern).toBe(true)
    }
  })

  it('elderly care', () => {
    expect(ELDERLY_CARE_LEVELS.map((l) => l.name)).toEqual(['能力完好', '轻度失能', '中度失能', '重度失能', '完全失能'])
    expectPositiveWeights(ELDERLY_CARE_LEVELS, 'ELDERLY_CARE_LEVELS')
    expect(ELDERLY_SUBSIDIES.map((s) => s.name).sort()).toEqual(
      ['高龄津贴', '经济困难老年人服务补贴', '失能老年人护理补贴', '无'].sort(),
    )
    expectPositiveWeights(ELDERLY_SUBSIDIES, 'ELDERLY_SUBSIDIES')
    const { prefixes, suffixes, patterns } = ELDERLY_INSTITUTION_NAME_PARTS
    expect(unique(prefixes)).toBe(true)
    expect(unique(suffixes)).toBe(true)
    const tokens = new Set(['city', 'district', 'town', 'subdistrict', 'prefix', 'suffix'])
    for (const p of patterns) {
      for (const m of p.matchAll(/\{(\w+)\}/g)) expect(tokens.has(m[1] ?? ''), p).toBe(true)
    }
  })

  it('UTILITY_COMPANIES: one water, gas and power company per city', () => {
    expect(unique(UTILITY_COMPANIES.map((u) => u.name))).toBe(true)
    for (const u of UTILITY_COMPANIES) expect(cities.has(u.city), u.name).toBe(true)
    for (const city of cities) {
      for (const utility of ['water', 'gas', 'power'] as const) {
        expect(UTILITY_COMPANIES.filter((u) => u.city === city && u.utility === utility).length, `${city} ${utility}`).toBe(1)
      }
    }
    const names = UTILITY_COMPANIES.map((u) => u.name)
    expect(names).toContain('六安市三峡智慧水管家有限责任公司')
    expect(names).toContain('六安新奥燃气有限公司')
  })
})
