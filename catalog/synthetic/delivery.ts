/**
 * How the city's departments deliver their records: not as the world is, but as clerks typed
 * them and systems exported them. Every catalog table passes through here on its way to the
 * store, with the habits of the department that keeps it (its `source`):
 *
 * - optional fields left empty;
 * - hand-typed names and addresses with a recording error (a homophone for a character, a
 *   variant way of writing a house number or a building);
 * - a reference to a person or an enterprise (never the table's own key) typed with one digit
 *   wrong, so that its check digit fails;
 * - a record filed twice under a supplementary record number (`…号之一`, `…-1`);
 * - the last month of a metered table delivered late for one district: absent from this delivery.
 *
 * The rates are assumptions of this generator (no public statistic measures them); they are
 * listed in docs/synthetic-data.md with the world's other rates. Ground-truth tables pass untouched.
 */
import { loadCatalog } from '../load-catalog.ts'
import type { TableDefinition } from '../table-definition.ts'
import { createRandom, type Random } from './random.ts'
import type { CellValue, RowWriter, TableSink } from './table-sink.ts'

export type DepartmentHabits = {
  /** Share of optional values left empty. */
  readonly blank: number
  /** Share of hand-typed names and addresses with a recording error. */
  readonly typo: number
  /** Share of references to a person or an enterprise typed with one digit wrong. */
  readonly mistypedId: number
  /** Share of records filed a second time under a supplementary number. */
  readonly duplicate: number
  /** Whether one district's last month arrives after the delivery (metered tables). */
  readonly lateLastMonth: boolean
}

const CAREFUL: DepartmentHabits = { blank: 0.02, typo: 0.002, mistypedId: 0, duplicate: 0, lateLastMonth: false }

/** By the start of a table's `source`; the first match wins. */
export const DEPARTMENT_HABITS: readonly (readonly [string, DepartmentHabits])[] = [
  ['市公安局', { blank: 0.03, typo: 0.003, mistypedId: 0, duplicate: 0, lateLastMonth: false }],
  ['市人社局', { blank: 0.05, typo: 0.006, mistypedId: 0.001, duplicate: 0, lateLastMonth: false }],
  ['住房公积金', { blank: 0.02, typo: 0.004, mistypedId: 0, duplicate: 0, lateLastMonth: false }],
  ['市市场监管局', { blank: 0.08, typo: 0.01, mistypedId: 0.002, duplicate: 0.004, lateLastMonth: false }],
  ['市税务局', { blank: 0.04, typo: 0.008, mistypedId: 0.002, duplicate: 0.004, lateLastMonth: false }],
  ['市自然资源局', { blank: 0.04, typo: 0.01, mistypedId: 0.004, duplicate: 0.006, lateLastMonth: false }],
  ['市住建局', { blank: 0.12, typo: 0.02, mistypedId: 0.01, duplicate: 0.02, lateLastMonth: false }],
  ['市民政局', { blank: 0.1, typo: 0.012, mistypedId: 0.003, duplicate: 0.005, lateLastMonth: false }],
  ['市残联', { blank: 0.08, typo: 0.012, mistypedId: 0.003, duplicate: 0.005, lateLastMonth: false }],
  ['市医保局', { blank: 0.04, typo: 0.005, mistypedId: 0.001, duplicate: 0, lateLastMonth: false }],
  ['市中级人民法院', { blank: 0.03, typo: 0.006, mistypedId: 0.002, duplicate: 0.02, lateLastMonth: false }],
  ['供水企业', { blank: 0.01, typo: 0.02, mistypedId: 0.002, duplicate: 0, lateLastMonth: true }],
  ['燃气企业', { blank: 0.01, typo: 0.02, mistypedId: 0.002, duplicate: 0, lateLastMonth: true }],
  ['供电企业', { blank: 0.01, typo: 0.015, mistypedId: 0.002, duplicate: 0, lateLastMonth: true }],
  ['市公交公司', { blank: 0.01, typo: 0, mistypedId: 0, duplicate: 0.003, lateLastMonth: false }],
]

export function habitsOf(source: string): DepartmentHabits {
  return DEPARTMENT_HABITS.find(([prefix]) => source.startsWith(prefix))?.[1] ?? CAREFUL
}

/** A sink whose catalog tables are delivered with their departments' habits. */
export function createDeliverySink(sink: TableSink, seed: string, lastMonth: string): TableSink {
  const catalog = loadCatalog()
  // a record number no other table points at can be filed twice; a unit, an address or a person cannot
  const referenced = new Set(catalog.tables.flatMap((t) => t.fields.flatMap((f) => (f.references === undefined ? [] : [f.references]))))
  return {
    open(table, columns) {
      const definition = catalog.table(table)
      const writer = sink.open(table, columns)
      if (definition === undefined) return writer
      const roles = rolesOf(definition, columns, referenced)
      return deliver(definition, roles, writer, createRandom(seed, `delivery:${table}`), lastMonth)
    },
    openTruth: (name) => sink.openTruth(name),
  }
}

type Roles = {
  optional: number[]
  names: number[]
  addresses: number[]
  references: { index: number; kind: 'resident_id' | 'uscc' }[]
  /** The record number, when the key is one text field that names nothing and nothing points at. */
  recordNo: number
  period: number
  district: number
}

function rolesOf(definition: TableDefinition, columns: readonly string[], referenced: ReadonlySet<string>): Roles {
  const roles: Roles = { optional: [], names: [], addresses: [], references: [], recordNo: -1, period: -1, district: -1 }
  const key = new Set(definition.key)
  columns.forEach((column, i) => {
    const field = definition.fields.find((f) => f.name === column)
    if (field === undefined) return
    if (!field.required && !key.has(column)) roles.optional.push(i)
    if (field.identifier === 'name') roles.names.push(i)
    if (field.identifier === 'address' && field.type === 'text') roles.addresses.push(i)
    if ((field.identifier === 'resident_id' || field.identifier === 'uscc') && !key.has(column)) roles.references.push({ index: i, kind: field.identifier })
    if (column === 'period') roles.period = i
    if (column === 'address_code') roles.district = i
  })
  if (definition.key.length === 1) {
    const only = definition.fields.find((f) => f.name === definition.key[0])
    if (only?.type === 'text' && only.identifier === 'none' && !referenced.has(`${definition.id}.${only.name}`)) roles.recordNo = columns.indexOf(only.name)
  }
  return roles
}

function deliver(definition: TableDefinition, roles: Roles, writer: RowWriter, r: Random, lastMonth: string): RowWriter {
  const habits = habitsOf(definition.source)
  // the district whose last month is late: decided on its first row of that month
  let lateDistrict: string | undefined
  const lateMonth = habits.lateLastMonth && roles.period >= 0 && roles.district >= 0
  const write = (values: readonly CellValue[]): void => {
    // most rows pass unchanged: copied only when a value changes
    let row = values
    const set = (i: number, value: CellValue): void => {
      if (row === values) row = [...values]
      ;(row as CellValue[])[i] = value
    }
    for (const i of roles.optional) if (row[i] !== null && r.chance(habits.blank)) set(i, null)
    for (const i of roles.names) if (typeof row[i] === 'string' && r.chance(habits.typo)) set(i, mistypeName(row[i], r))
    for (const i of roles.addresses) if (typeof row[i] === 'string' && r.chance(habits.typo)) set(i, mistypeAddress(row[i], r))
    for (const { index } of roles.references) if (typeof row[index] === 'string' && r.chance(habits.mistypedId)) set(index, mistypeDigit(row[index], r))
    writer.row(row)
  }
  return {
    row(values) {
      if (lateMonth && values[roles.period] === lastMonth) {
        const district = String(values[roles.district]).slice(0, 6)
        lateDistrict ??= district
        if (district === lateDistrict) return
      }
      write(values)
      if (roles.recordNo >= 0 && habits.duplicate > 0 && r.chance(habits.duplicate)) {
        const copy = [...values]
        copy[roles.recordNo] = supplementaryNumber(String(values[roles.recordNo]))
        write(copy)
      }
    },
  }
}

/** `（2021）晋0212执334号` → `（2021）晋0212执334号之一`; any other number gets `-1`. */
export function supplementaryNumber(recordNo: string): string {
  return recordNo.endsWith('号') ? `${recordNo}之一` : `${recordNo}-1`
}

/** Characters clerks confuse by sound or shape. */
const HOMOPHONES: Readonly<Record<string, string>> = {
  王: '汪', 张: '章', 李: '黎', 刘: '留', 陈: '程', 杨: '扬', 黄: '皇', 赵: '肇', 周: '舟', 吴: '伍',
  徐: '许', 孙: '荪', 马: '玛', 朱: '诸', 胡: '湖', 郭: '国', 何: '贺', 林: '琳', 罗: '萝', 高: '郜',
  明: '民', 华: '化', 军: '君', 伟: '玮', 芳: '方', 英: '瑛', 丽: '莉', 静: '菁', 敏: '闵', 强: '彊',
  磊: '垒', 洋: '阳', 勇: '永', 艳: '燕', 杰: '洁', 娟: '鹃', 涛: '滔', 超: '朝', 秀: '琇', 霞: '侠',
  平: '萍', 刚: '钢', 桂: '贵', 玲: '琳', 红: '宏', 国: '帼', 建: '健', 文: '雯', 志: '智', 店: '铺',
}

export function mistypeName(name: string, r: Random): string {
  const positions = [...name].map((c, i) => (HOMOPHONES[c] !== undefined && HOMOPHONES[c] !== c ? i : -1)).filter((i) => i >= 0)
  if (positions.length > 0 && r.chance(0.8)) {
    const chars = [...name]
    const i = positions[r.int(0, positions.length - 1)]!
    chars[i] = HOMOPHONES[chars[i]!]!
    return chars.join('')
  }
  // a stray space where the clerk's input method left one
  const chars = [...name]
  const at = r.int(1, Math.max(1, chars.length - 1))
  return [...chars.slice(0, at), r.chance(0.5) ? ' ' : '\u3000', ...chars.slice(at)].join('')
}

const ADDRESS_VARIANTS: readonly (readonly [RegExp, string | ((digit: string) => string)])[] = [
  [/(\d+)号/, '$1#'],
  [/(\d+)栋/, '$1幢'],
  [/(\d+)单元/, '$1-'],
  [/(\d+)室$/, '$1'],
  [/^(.{2,3}省)/, ''],
  // a full-width digit
  [/\d/, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0)],
]

export function mistypeAddress(address: string, r: Random): string {
  const applicable = ADDRESS_VARIANTS.filter(([pattern]) => pattern.test(address))
  if (applicable.length === 0) return `${address} `
  const [pattern, replacement] = applicable[r.int(0, applicable.length - 1)]!
  return typeof replacement === 'string' ? address.replace(pattern, replacement) : address.replace(pattern, replacement)
}

/** One digit of the body changed: GB 11643 and GB 32100 check digits catch every such error. */
export function mistypeDigit(identifier: string, r: Random): string {
  const positions = [...identifier.slice(0, -1)].map((c, i) => (c >= '0' && c <= '9' ? i : -1)).filter((i) => i >= 0)
  if (positions.length === 0) return identifier
  const i = positions[r.int(0, positions.length - 1)]!
  const digit = (Number(identifier[i]) + r.int(1, 9)) % 10
  return identifier.slice(0, i) + String(digit) + identifier.slice(i + 1)
}
