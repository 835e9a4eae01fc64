/**
 * The manifest a bundle reports from inside the sandbox is untrusted data: it is parsed here
 * against the SDK's shape, including the JSON Schema subset the SDK's `t` builders produce
 * (bounded depth and size, patterns short enough to compile safely).
 */
import * as z from 'zod'
import { RE2JS } from 're2js'
import { SCENARIO_CATEGORIES } from '../scenarios/scenario.ts'

const MAX_PATTERN = 200

type JsonSchema = {
  readonly type?: string
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly required?: readonly string[]
  readonly additionalProperties?: false
  readonly items?: JsonSchema
  readonly maxItems?: number
  readonly enum?: readonly string[]
  readonly minimum?: number
  readonly maximum?: number
  readonly minLength?: number
  readonly maxLength?: number
  readonly pattern?: string
  readonly anyOf?: readonly JsonSchema[]
  readonly 'x-identifier'?: 'uscc' | 'resident_id' | 'pseudonym'
  readonly 'x-free-text'?: boolean
}

const pattern = z
  .string()
  .max(MAX_PATTERN)
  .refine((p) => {
    try {
      RE2JS.compile(p)
      return true
    } catch {
      return false
    }
  }, 'is not a valid (RE2) regular expression')

export const jsonSchemaSubset = z.lazy((): z.ZodType<JsonSchema> =>
  z.union([
    z
      .object({
        type: z.literal('string'),
        minLength: z.number().int().min(0).optional(),
        maxLength: z.number().int().min(0).max(1_000_000).optional(),
        pattern: pattern.optional(),
        enum: z.array(z.string().max(200)).max(1000).optional(),
        'x-identifier': z.enum(['uscc', 'resident_id', 'pseudonym']).optional(),
        'x-free-text': z.boolean().optional(),
      })
      .strict(),
    z.object({ type: z.enum(['number', 'integer']), minimum: z.number().optional(), maximum: z.number().optional() }).strict(),
    z.object({ type: z.literal('boolean') }).strict(),
    z.object({ type: z.literal('null') }).strict(),
    z.object({ type: z.literal('array'), items: jsonSchemaSubset, maxItems: z.number().int().min(0).max(100_000) }).strict(),
    z
      .object({
        type: z.literal('object'),
        properties: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), jsonSchemaSubset),
        required: z.array(z.string()),
        additionalProperties: z.literal(false),
      })
      .strict(),
    z.object({ anyOf: z.tuple([jsonSchemaSubset, z.object({ type: z.literal('null') }).strict()]) }).strict(),
  ]),
)

export type ValueSchema = JsonSchema

const objectSchema = z
  .object({
    type: z.literal('object'),
    properties: z.record(z.string(), jsonSchemaSubset),
    required: z.array(z.string()),
    additionalProperties: z.literal(false),
  })
  .strict()

const IDENT = /^[a-z][a-z0-9_]{0,62}$/
/** Names of dimensions, measures and row fields: they become keys of the product's results. */
const NAME = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/)
const finite = z.number().finite()
const anchoredPattern = pattern.refine((p) => p.startsWith('^') && p.endsWith('$'), 'must be anchored with ^ and $')

const dimensionSchema = z.union([
  z.object({ values: z.array(z.string().min(1).max(200)).min(1).max(1000) }).strict(),
  z
    .object({ edges: z.array(finite).min(1).max(100) })
    .strict()
    .refine((d) => d.edges.every((e, i) => i === 0 || e > d.edges[i - 1]!), 'edges must be strictly ascending'),
  z.object({ pattern: anchoredPattern, maxLength: z.number().int().min(1).max(200) }).strict(),
])

const bounds = z
  .object({ min: finite, max: finite })
  .strict()
  .refine((b) => b.min <= b.max, 'min must not exceed max')

const measureSchema = z.union([
  z.object({ sum: bounds }).strict(),
  z.object({ mean: bounds }).strict(),
  z.object({ min: bounds }).strict(),
  z.object({ max: bounds }).strict(),
  z
    .object({ quantile: z.object({ q: z.number().gt(0).lt(1), min: finite, max: finite }).strict() })
    .strict()
    .refine((m) => m.quantile.min <= m.quantile.max, 'min must not exceed max'),
  z
    .object({ regression: z.object({ x: z.array(NAME).min(1).max(5), min: finite, max: finite }).strict() })
    .strict()
    .refine((m) => m.regression.min <= m.regression.max, 'min must not exceed max'),
])

const filterSchema = z.union([
  z.object({ in: z.array(z.union([z.string().max(200), finite])).min(1).max(1000) }).strict(),
  z
    .object({ min: finite.optional(), max: finite.optional() })
    .strict()
    .refine((r) => r.min !== undefined || r.max !== undefined, 'a range names min, max or both')
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min must not exceed max'),
  z.object({ input: NAME }).strict(),
])

const aggregateSchema = z
  .object({
    by: z.record(NAME, dimensionSchema).refine((b) => Object.keys(b).length <= 4, 'at most four dimensions'),
    measures: z
      .record(NAME, measureSchema)
      .refine((m) => Object.keys(m).length <= 16, 'at most sixteen measures')
      .optional(),
    maxCellsPerUnit: z.number().int().min(1).max(1000).optional(),
    from: z
      .object({
        by: z.record(NAME, z.string().regex(IDENT)),
        values: z.record(NAME, z.string().regex(IDENT)).optional(),
        where: z
          .record(z.string().regex(IDENT), filterSchema)
          .refine((w) => Object.keys(w).length <= 8, 'at most eight filters')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.from === undefined) return
    const dims = Object.keys(a.by)
    if (dims.length !== Object.keys(a.from.by).length || dims.some((d) => !Object.hasOwn(a.from!.by, d))) ctx.addIssue({ code: 'custom', message: 'from.by names a field for every dimension, and only those' })
    for (const [name, m] of Object.entries(a.measures ?? {})) {
      if ('regression' in m) ctx.addIssue({ code: 'custom', message: `measure ${name}: a regression needs classify, not from` })
      else if (!Object.hasOwn(a.from.values ?? {}, name)) ctx.addIssue({ code: 'custom', message: `measure ${name}: from.values names its field` })
    }
    for (const name of Object.keys(a.from.values ?? {})) if (!Object.hasOwn(a.measures ?? {}, name)) ctx.addIssue({ code: 'custom', message: `from.values.${name} is not a measure` })
  })

const rowFieldSchema = z.union([
  z.object({ values: z.array(z.string().min(1).max(200)).min(1).max(1000) }).strict(),
  z.object({ pattern: anchoredPattern, maxLength: z.number().int().min(1).max(64) }).strict(),
  z
    .object({ min: finite, max: finite })
    .strict()
    .refine((b) => b.min <= b.max, 'min must not exceed max'),
  z.object({ boolean: z.literal(true) }).strict(),
  z.object({ codes: z.array(z.string().min(1).max(100)).min(1).max(100) }).strict(),
])

const rowSpecSchema = z
  .object({
    fields: z
      .record(NAME, rowFieldSchema)
      .refine((f) => Object.keys(f).length >= 1 && Object.keys(f).length <= 32, 'one to thirty-two fields')
      .refine((f) => !Object.hasOwn(f, 'unit'), '`unit` is the runtime\'s field'),
    quasi: z.array(NAME).max(8),
  })
  .strict()

export const manifestSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    kind: z.enum(['api', 'dataset', 'report']),
    title: z.string().min(1).max(100),
    category: z.enum(SCENARIO_CATEGORIES),
    description: z.string().max(4000),
    entityKey: z.string().max(64).optional(),
    scenario: z
      .object({
        purpose: z.string().min(1).max(1000),
        tables: z.record(
          z.string().regex(IDENT),
          z
            .object({
              key: z.string().regex(IDENT).optional(),
              fields: z.record(z.string().regex(IDENT), z.string().min(1).max(500)),
              masks: z.record(z.string().regex(IDENT), z.enum(['keep', 'pseudonym', 'partial', 'drop'])).optional(),
            })
            .strict(),
        ),
      })
      .strict(),
    input: objectSchema,
    output: objectSchema,
    unit: z.string().regex(IDENT).optional(),
    aggregates: z.record(z.string().regex(IDENT), aggregateSchema).optional(),
    rows: rowSpecSchema.optional(),
    encrypted: z
      .record(
        z.string().regex(IDENT),
        z
          .object({
            table: z.string().regex(IDENT),
            field: z.string().regex(IDENT),
            by: z.object({ table: z.string().regex(IDENT), field: z.string().regex(IDENT), via: z.string().regex(IDENT).optional() }).strict(),
            ops: z.array(z.enum(['count', 'sum', 'mean'])).min(1).max(3),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.kind === 'api' && (m.encrypted !== undefined || m.aggregates !== undefined || m.rows !== undefined || m.unit !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'only batch products declare a unit, aggregates, rows or encrypted aggregates' })
    }
    const needsUnits = Object.keys(m.aggregates ?? {}).length > 0 || m.rows !== undefined
    if (needsUnits && (m.unit === undefined || !Object.hasOwn(m.scenario.tables, m.unit))) ctx.addIssue({ code: 'custom', message: 'aggregates and rows need a unit: one of the scenario tables' })
    if (needsUnits) {
      for (const [table, t] of Object.entries(m.scenario.tables)) {
        if (t.key === undefined) ctx.addIssue({ code: 'custom', message: `scenario table ${table} needs the key that links it to the unit` })
      }
    }
    for (const [name, a] of Object.entries(m.aggregates ?? {})) {
      if (a.from === undefined || m.unit === undefined) continue
      const fields = m.scenario.tables[m.unit]?.fields ?? {}
      const used = [...Object.values(a.from.by), ...Object.values(a.from.values ?? {}), ...Object.keys(a.from.where ?? {})]
      for (const field of used) if (!Object.hasOwn(fields, field)) ctx.addIssue({ code: 'custom', message: `aggregate ${name} reads ${m.unit}.${field}, which the scenario does not ask for` })
      for (const [field, f] of Object.entries(a.from.where ?? {})) {
        if ('input' in f && !Object.hasOwn(m.input.properties, f.input)) ctx.addIssue({ code: 'custom', message: `aggregate ${name} filters ${field} by input.${f.input}, which the input does not declare` })
      }
    }
    if (m.rows !== undefined && m.kind !== 'dataset') ctx.addIssue({ code: 'custom', message: 'only datasets release rows' })
    for (const name of m.rows?.quasi ?? []) {
      if (!Object.hasOwn(m.rows!.fields, name)) ctx.addIssue({ code: 'custom', message: `quasi-identifier ${name} is not a row field` })
    }
    for (const [name, e] of Object.entries(m.encrypted ?? {})) {
      if (Object.hasOwn(m.scenario.tables, name) || Object.hasOwn(m.aggregates ?? {}, name)) ctx.addIssue({ code: 'custom', message: `encrypted aggregate ${name} has the name of a table or aggregate` })
      // every field it touches is part of the scenario the operator approves
      const needs: [string, string][] = [[e.table, e.field], [e.by.table, e.by.field], ...(e.by.via === undefined ? [] : ([[e.table, e.by.via]] as [string, string][]))]
      for (const [table, field] of needs) {
        if (m.scenario.tables[table]?.fields[field] === undefined) ctx.addIssue({ code: 'custom', message: `encrypted aggregate ${name} uses ${table}.${field}, which the scenario does not ask for` })
      }
    }
    if (m.kind === 'api') {
      if (m.entityKey === undefined || !Object.hasOwn(m.input.properties, m.entityKey)) {
        ctx.addIssue({ code: 'custom', message: 'api products name an input field as entityKey' })
      }
      for (const [table, t] of Object.entries(m.scenario.tables)) {
        if (t.key === undefined) ctx.addIssue({ code: 'custom', message: `scenario table ${table} needs a key field` })
      }
    }
  })

export type ProductManifest = z.output<typeof manifestSchema>
