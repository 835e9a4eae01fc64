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
    queries: z.record(z.string().regex(IDENT), z.string().min(1).max(20_000)).optional(),
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
    disclosure: z
      .object({
        rows: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/),
        table: z.string().regex(IDENT),
        groupBy: z.array(z.string().regex(IDENT)).min(1).max(4),
        keys: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/)).min(1).max(4),
        contributor: z.string().regex(IDENT).optional(),
        magnitude: z.string().regex(IDENT).optional(),
        filter: z.object({ field: z.string().regex(IDENT), values: z.array(z.string().max(200)).min(1).max(100) }).strict().optional(),
      })
      .strict()
      .refine((d) => d.groupBy.length === d.keys.length, 'groupBy and keys name the same number of fields')
      .optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const name of Object.keys(m.queries ?? {})) {
      if (Object.hasOwn(m.scenario.tables, name)) ctx.addIssue({ code: 'custom', message: `query ${name} has the name of a table` })
    }
    if (m.kind === 'api' && m.queries !== undefined) ctx.addIssue({ code: 'custom', message: 'only batch products declare queries' })
    if (m.kind === 'api' && m.encrypted !== undefined) ctx.addIssue({ code: 'custom', message: 'only batch products declare encrypted aggregates' })
    for (const [name, e] of Object.entries(m.encrypted ?? {})) {
      if (Object.hasOwn(m.scenario.tables, name) || Object.hasOwn(m.queries ?? {}, name)) ctx.addIssue({ code: 'custom', message: `encrypted aggregate ${name} has the name of a table or query` })
      // every field it touches is part of the scenario the operator approves
      const needs: [string, string][] = [[e.table, e.field], [e.by.table, e.by.field], ...(e.by.via === undefined ? [] : ([[e.table, e.by.via]] as [string, string][]))]
      for (const [table, field] of needs) {
        if (m.scenario.tables[table]?.fields[field] === undefined) ctx.addIssue({ code: 'custom', message: `encrypted aggregate ${name} uses ${table}.${field}, which the scenario does not ask for` })
      }
    }
    if (m.disclosure !== undefined && !Object.hasOwn(m.scenario.tables, m.disclosure.table)) {
      ctx.addIssue({ code: 'custom', message: 'the disclosure table must be one of the scenario\'s tables' })
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
