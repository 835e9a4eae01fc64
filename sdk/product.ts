/**
 * A product is a typed object: its identity, the scenario it asks for, its input and output
 * schemas and `run`. `defineProduct` checks the shape and freezes it; the runtime reads the
 * manifest (everything but `run`) from inside the sandbox and never runs partner code outside it.
 */
import type { BatchContext, EntityContext } from './context.ts'
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

/** The aggregate table of a batch output and the data it summarizes (see `BatchProduct.disclosure`). */
export type AggregateDisclosure = {
  /** The output property holding the array of aggregate rows. */
  readonly rows: string
  /** The scenario table the rows summarize. */
  readonly table: string
  /** The table's fields the rows are grouped by (one cell per combination). */
  readonly groupBy: readonly string[]
  /** The output row fields holding the group values, in the same order as `groupBy`. */
  readonly keys: readonly string[]
  /** The field identifying a contributor (counted once per cell); every row counts when absent. */
  readonly contributor?: string
  /** The field whose sum the rows report, for the dominance and p% rules. */
  readonly magnitude?: string
  /** Only rows whose `field` is one of `values` are summarized (e.g. living arrangement 独居). */
  readonly filter?: { readonly field: string; readonly values: readonly string[] }
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

export type ApiProduct<I extends ObjectSchema<any> = ObjectSchema, O extends ObjectSchema<any> = ObjectSchema> = Common<I, O> & {
  readonly kind: 'api'
  /** The input field holding the entity the call is about (e.g. `uscc`). */
  readonly entityKey: keyof Infer<I> & string
  /** Synchronous: no promises, no timers. Returns the output object. */
  run(ctx: EntityContext, input: Infer<I>): Infer<O>
}

export type BatchProduct<I extends ObjectSchema<any> = ObjectSchema, O extends ObjectSchema<any> = ObjectSchema> = Common<I, O> & {
  readonly kind: 'dataset' | 'report'
  /**
   * Named SQL queries over the scenario's (masked) tables, run by the runtime before `run`;
   * each result is scanned like a table under its name. Each must be one SELECT over the
   * scenario's tables only (checked with DuckDB's parser).
   * @example { by_district: 'SELECT district_code, count(*) AS n FROM elderly_info GROUP BY 1' }
   */
  readonly queries?: Readonly<Record<string, string>>
  /**
   * Aggregates of encrypted fields, by name (scanned like tables). The product never holds a
   * ciphertext or a key, only the groups the release checks let through.
   * @example { base_by_district: { table: 'social_insurance_enrollment', field: 'contribution_base', by: { table: 'enterprise_basic', field: 'district_code', via: 'employer_uscc' }, ops: ['count', 'mean'] } }
   */
  readonly encrypted?: Readonly<Record<string, EncryptedAggregate>>
  /**
   * How the output's aggregate rows map to the data, so that the release checks can compute the
   * evidence (contributors and top contributions per cell) from the data itself: minimum cell
   * count, (n,k) dominance and p% rule, with secondary suppression.
   * @example { rows: 'districts', table: 'elderly_info', groupBy: ['district_code'], keys: ['district'], contributor: 'resident_id' }
   */
  readonly disclosure?: AggregateDisclosure
  run(ctx: BatchContext, input: Infer<I>): Infer<O>
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
  scenario?: { tables?: Record<string, { key?: string; fields: Record<string, string> }> }
  input?: { type?: string; properties: object }
  output?: { type?: string }
}
