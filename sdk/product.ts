/**
 * A product is a typed object: its identity, the scenario it asks for, its input and output
 * schemas and `run`. `defineProduct` checks the shape and freezes it; the runtime reads the
 * manifest (everything but `run`) from inside the sandbox and never runs partner code outside it.
 */
import type { EntityContext } from './context.ts'
import type { AggregateSpec, ReleasedContext, RowSpec, UnitContributions } from './release.ts'
import type { Infer, ObjectSchema } from './schema.ts'

export type ProductKind = 'api' | 'dataset' | 'report'

/** 公共治理/公益事业 are free; 产业发展/行业发展 may be charged. */
export type ProductCategory = '公共治理' | '公益事业' | '产业发展' | '行业发展'

/** One table of the scenario: the fields needed, each with why (最小必要). */
export type ScenarioTable = {
  /** For `api` products: the field that holds the entity key (e.g. `taxpayer_uscc`). */
  readonly key?: string
  /** field → justification */
  readonly fields: Readonly<Record<string, string>>
  /**
   * Masks the partner proposes for some fields, e.g. the same keyed pseudonym on two tables'
   * address codes so that they join. The operator decides; dev runs use them.
   */
  readonly masks?: Readonly<Record<string, 'keep' | 'pseudonym' | 'partial' | 'drop'>>
}

/**
 * An aggregate of a field its provider encrypted (homomorphically): the runtime computes it over
 * ciphertexts, suppresses small groups, has only the rest decrypted (by the key custodian's
 * service), and hands the product the released groups as a table scanned under its name, with
 * text column `group`, numeric `count`, `sum` and `mean` (NaN where not asked for).
 */
export type EncryptedAggregate = {
  /** The scenario table and the encrypted numeric field. */
  readonly table: string
  readonly field: string
  /** The plaintext field to group by: of the same table, or of a table the field `via` references. */
  readonly by: { readonly table: string; readonly field: string; readonly via?: string }
  readonly ops: readonly ('count' | 'sum' | 'mean')[]
}

export type ScenarioRequest = {
  /** What the data is used for, in one sentence. */
  readonly purpose: string
  readonly tables: Readonly<Record<string, ScenarioTable>>
}

/** A one-entity product finds its entity in every table by a key field: each table names it (the type check says so before a run). */
export type KeyedScenarioRequest = {
  readonly purpose: string
  readonly tables: Readonly<Record<string, ScenarioTable & { readonly key: string }>>
}

type Common<I extends ObjectSchema<any>, O extends ObjectSchema<any>> = {
  /** Lower kebab case, e.g. `enterprise-credit-score`. */
  readonly id: string
  /** Semantic version, e.g. `1.0.0`. */
  readonly version: string
  /** Chinese product name as in the seeds' lists, e.g. 企业信用贷. */
  readonly title: string
  readonly category: ProductCategory
  readonly description: string
  readonly scenario: ScenarioRequest
  readonly input: I
  readonly output: O
}

export type ApiProduct<I extends ObjectSchema<any> = ObjectSchema, O extends ObjectSchema<any> = ObjectSchema> = Omit<Common<I, O>, 'scenario'> & {
  readonly kind: 'api'
  readonly scenario: KeyedScenarioRequest
  /** The input field holding the entity the call is about (e.g. `uscc`). */
  readonly entityKey: keyof Infer<I> & string
  /** Synchronous: no promises, no timers. Returns the output object. */
  run(ctx: EntityContext, input: Infer<I>): Infer<O>
}

export type BatchProduct<I extends ObjectSchema<any> = ObjectSchema, O extends ObjectSchema<any> = ObjectSchema> = Common<I, O> & {
  readonly kind: 'dataset' | 'report'
  /**
   * The statistical unit: the scenario table whose key field identifies one contributor (a person,
   * an enterprise, a dwelling). Every other scenario table names, as its `key`, the field that links
   * its rows to that unit. Needed with `aggregates` or `rows`.
   * @example 'standard_address'
   */
  readonly unit?: string
  /**
   * The aggregate tables the runtime builds — from the unit table itself where declared with
   * `from` (fast: computed in the database), otherwise from `classify`'s contributions — protects
   * (minimum count, dominance, p%, or noise), audits against what the consumer had before, and
   * hands to `run`.
   * @example { by_compound: { by: { district: { pattern: '^\\d{6}$', maxLength: 6 } }, measures: { livedIn: { sum: { min: 0, max: 1 } } } } }
   */
  readonly aggregates?: Readonly<Record<string, AggregateSpec>>
  /** Datasets only: a row per selected unit, with these fields (row-level release needs the operator's approval for the consumer). */
  readonly rows?: RowSpec
  /**
   * Aggregates of encrypted fields, by name (read with `ctx.aggregate`). The product never holds a
   * ciphertext or a key, only the groups the release checks let through.
   * @example { base_by_district: { table: 'social_insurance_enrollment', field: 'contribution_base', by: { table: 'enterprise_basic', field: 'district_code', via: 'employer_uscc' }, ops: ['count', 'mean'] } }
   */
  readonly encrypted?: Readonly<Record<string, EncryptedAggregate>>
  /**
   * One unit's contributions, from that unit's rows only: runs once per unit, each time in an
   * execution of its own (nothing of one unit reaches another's). Synchronous. Not needed when
   * every aggregate is declared with `from` and the product releases no rows.
   * @example
   * ```ts
   * classify(unit) {
   *   const home = unit.rows('standard_address')[0]
   *   const m3 = unit.rows('water_usage').reduce((a, r) => a + Number(r.usage), 0)
   *   return { aggregates: { by_compound: { by: { compound: String(home.compound) }, values: { livedIn: m3 > 6 ? 1 : 0 } } } }
   * }
   * ```
   */
  classify?(unit: EntityContext, input: Infer<I>): UnitContributions
  /** Shapes the output from the released results (`ctx.aggregate`, `ctx.rows`) only. */
  run(ctx: ReleasedContext, input: Infer<I>): Infer<O>
}

export type Product = ApiProduct<any, any> | BatchProduct<any, any>

/** The manifest: the product without its code, as the runtime and operators see it. */
export type ProductManifest = Omit<ApiProduct, 'run'> | Omit<BatchProduct, 'run'>

const ID = /^[a-z][a-z0-9-]{1,62}$/
const VERSION = /^\d+\.\d+\.\d+$/
const CATEGORIES = ['公共治理', '公益事业', '产业发展', '行业发展']

/**
 * Defines a product. Throws TypeError when the definition is malformed.
 *
 * @example
 * ```ts
 * export default defineProduct({
 *   id: 'enterprise-tax-grade', version: '1.0.0', kind: 'api', title: '企业欠税等级评估',
 *   category: '产业发展', description: '…', entityKey: 'uscc',
 *   scenario: { purpose: '…', tables: { tax_arrears: { key: 'taxpayer_uscc', fields: { arrears_amount: '欠税规模' } } } },
 *   input: t.object({ uscc: t.uscc() }),
 *   output: t.object({ grade: t.enum(['A', 'B', 'C']) }),
 *   run: (ctx) => ({ grade: ctx.rows('tax_arrears').length === 0 ? 'A' : 'C' }),
 * })
 * ```
 */
export function defineProduct<I extends ObjectSchema<any>, O extends ObjectSchema<any>>(spec: ApiProduct<I, O>): ApiProduct<I, O>
export function defineProduct<I extends ObjectSchema<any>, O extends ObjectSchema<any>>(spec: BatchProduct<I, O>): BatchProduct<I, O>
export function defineProduct(definition: Product): Product {
  const spec = definition as unknown as LooseProduct
  if (typeof spec !== 'object' || spec === null) throw new TypeError('a product definition is an object')
  if (!ID.test(spec.id)) throw new TypeError('product id must be lower kebab case')
  if (!VERSION.test(spec.version)) throw new TypeError('product version must be semantic (1.2.3)')
  if (!['api', 'dataset', 'report'].includes(spec.kind)) throw new TypeError('product kind must be api, dataset or report')
  if (!CATEGORIES.includes(spec.category)) throw new TypeError('product category must be one of 公共治理, 公益事业, 产业发展, 行业发展')
  if (typeof spec.run !== 'function') throw new TypeError('product run must be a function')
  const tables = Object.entries(spec.scenario?.tables ?? {})
  if (tables.length === 0) throw new TypeError('the scenario must name at least one table')
  for (const [, table] of tables) {
    if (Object.keys(table.fields).length === 0) throw new TypeError('every scenario table must name its fields')
    if (spec.kind === 'api' && table.key === undefined) throw new TypeError('api products name the key field of every table')
  }
  if (spec.input?.type !== 'object' || spec.output?.type !== 'object') throw new TypeError('input and output are object schemas')
  if (spec.kind !== 'api') {
    const needsUnits = Object.keys(spec.aggregates ?? {}).length > 0 || spec.rows !== undefined
    if (needsUnits && (typeof spec.unit !== 'string' || !Object.hasOwn(spec.scenario?.tables ?? {}, spec.unit))) throw new TypeError('a batch product with aggregates or rows names its unit: one of its scenario tables')
    const needsClassify = spec.rows !== undefined || Object.values(spec.aggregates ?? {}).some((a) => (a as { from?: unknown } | null)?.from === undefined)
    if (needsClassify && typeof spec.classify !== 'function') throw new TypeError('a batch product with rows, or aggregates not declared with from, has a classify function')
    if (needsUnits && tables.some(([, table]) => table.key === undefined)) throw new TypeError('every scenario table of a batch product with units names the key that links it to the unit')
    if (spec.rows !== undefined && spec.kind !== 'dataset') throw new TypeError('only datasets release rows')
  }
  const inputFields = spec.input.properties as Readonly<Record<string, unknown>>
  if (spec.kind === 'api' && !Object.hasOwn(inputFields, String(spec.entityKey))) {
    throw new TypeError('entityKey must be an input field')
  }
  Object.freeze(spec)
  return definition
}

/** The definition as untyped data, for the shape checks (partner code may be plain JS). */
type LooseProduct = {
  id: string
  version: string
  kind: string
  category: string
  run: unknown
  entityKey?: unknown
  unit?: unknown
  aggregates?: Record<string, unknown>
  rows?: unknown
  classify?: unknown
  scenario?: { tables?: Record<string, { key?: string; fields: Record<string, string> }> }
  input?: { type?: string; properties: object }
  output?: { type?: string }
}
