/**
 * A district's authorities by the names their records carry (大冶市市场监督管理局, 六安市金安区民政局
 * 婚姻登记处), and the numbers of the market regulator's documents: 冶市监处罚〔2024〕57号.
 * Documents of one kind are numbered per district and year; numbers in between went to cases this
 * generator does not write (individuals, other matters), so a district's numbers rise with gaps.
 */
import { DISTRICTS, REGULATOR_ABBREVIATIONS } from './vocabulary.ts'
import type { Random } from './random.ts'

/** The district's `body` as its name is written: 六安市金安区民政局, 霍邱县民政局, 大冶市民政局. */
export function authorityOf(district: number, body: string): string {
  const d = DISTRICTS[district]!
  return `${d.name.endsWith('区') ? d.city : ''}${d.name}${body}`
}

/** 六安市金安区市场监督管理局, 霍邱县市场监督管理局, 大冶市市场监督管理局. */
export function regulatorOf(district: number): string {
  return authorityOf(district, '市场监督管理局')
}

/** A numbering of one kind of document (`市监处罚`, `市监吊字`): next(district, year) → 冶市监处罚〔2024〕57号. */
export function createDocumentNumbers(kind: string, r: Random): (district: number, year: number) => string {
  const last = new Map<number, number>()
  return function nextNumber(district, year) {
    const key = district * 10_000 + year
    const n = (last.get(key) ?? r.int(0, 20)) + r.int(1, 9)
    last.set(key, n)
    const code = DISTRICTS[district]!.code
    return `${REGULATOR_ABBREVIATIONS[code] ?? DISTRICTS[district]!.name.slice(0, 1)}${kind}〔${year}〕${n}号`
  }
}

