/**
 * The batch benchmark's input: per-enterprise credit features as typed columns, the form in
 * which the runtime hands a scenario's tables to a batch product. Deterministic: the same seed
 * and size give the same columns, in this process and in a probe child.
 */
import { AS_OF_DAY } from '../catalog/synthetic/calendar.ts'
import { createRandom } from '../catalog/synthetic/random.ts'
import type { UnitTables, WireTable } from '../runtime/sandbox/wire.ts'
import { FEATURE_TABLE, type FeatureColumns } from './fixtures/batch-score/score.ts'

const NULL_DAY = -2147483648
const TAX_GRADES = ['A', 'B', 'M', 'C', 'D']
const TAX_GRADE_WEIGHTS = [0.2, 0.42, 0.16, 0.08, 0.04] // the rest (10 %): not rated

export function generateEnterpriseFeatures(rows: number, seed = 'bench'): WireTable {
  const r = createRandom(seed, 'enterprise_features')
  const insuredGapMonths = new Float64Array(rows)
  const arrearsAmount = new Float64Array(rows)
  const taxGrade = new Int32Array(rows)
  const dishonest = new Float64Array(rows)
  const activeMortgages = new Float64Array(rows)
  const registeredCapital = new Float64Array(rows)
  const establishedOn = new Int32Array(rows)
  const employees = new Float64Array(rows)
  for (let i = 0; i < rows; i++) {
    const size = r.next()
    employees[i] = size < 0.15 ? 0 : Math.round(r.lognormal(1.6, 1.3))
    insuredGapMonths[i] = r.chance(0.7) ? 0 : r.int(1, 12)
    arrearsAmount[i] = r.chance(0.9) ? (r.chance(0.5) ? 0 : NaN) : Math.round(r.lognormal(9.5, 1.6) * 100) / 100
    let u = r.next()
    let g = 0
    while (g < TAX_GRADES.length && u >= TAX_GRADE_WEIGHTS[g]!) u -= TAX_GRADE_WEIGHTS[g++]!
    taxGrade[i] = g < TAX_GRADES.length ? g : -1
    dishonest[i] = r.chance(0.03) ? 1 : 0
    activeMortgages[i] = r.poisson(0.4)
    registeredCapital[i] = r.chance(0.02) ? NaN : Math.round(r.lognormal(4, 1.5) * 100) / 100
    establishedOn[i] = r.chance(0.01) ? NULL_DAY : AS_OF_DAY - r.int(30, 30 * 365)
  }
  return {
    length: rows,
    columns: {
      insured_gap_months: { kind: 'number', values: insuredGapMonths },
      arrears_amount: { kind: 'number', values: arrearsAmount },
      tax_grade: { kind: 'text', codes: taxGrade, dictionary: TAX_GRADES },
      dishonest: { kind: 'number', values: dishonest },
      active_mortgages: { kind: 'number', values: activeMortgages },
      registered_capital: { kind: 'number', values: registeredCapital },
      established_on: { kind: 'date', days: establishedOn },
      employees: { kind: 'number', values: employees },
    },
  }
}

/** The whole table as the scorecard's columns (the plain host baseline reads them in one go). */
export function featureColumns(table: WireTable): FeatureColumns {
  const number = (name: string) => {
    const c = table.columns[name]
    if (c?.kind !== 'number') throw new TypeError(`${name} is not a number column`)
    return c.values
  }
  const grade = table.columns.tax_grade
  const established = table.columns.established_on
  if (grade?.kind !== 'text' || established?.kind !== 'date') throw new TypeError('tax_grade must be text and established_on a date')
  return {
    length: table.length,
    insuredGapMonths: number('insured_gap_months'),
    arrearsAmount: number('arrears_amount'),
    taxGradeCodes: grade.codes,
    taxGradeDictionary: grade.dictionary,
    dishonest: number('dishonest'),
    activeMortgages: number('active_mortgages'),
    registeredCapital: number('registered_capital'),
    establishedOn: established.days,
    employees: number('employees'),
  }
}

/** The feature table as units for `classify`: one enterprise, one row. */
export function oneRowPerUnit(table: WireTable): UnitTables {
  return { units: table.length, tables: new Map([[FEATURE_TABLE, { data: table, offsets: Int32Array.from({ length: table.length + 1 }, (_, i) => i) }]]) }
}
