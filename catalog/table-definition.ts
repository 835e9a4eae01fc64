/**
 * The shape of one catalog table definition (`catalog/tables/<id>.json`), as data an operator
 * reads and edits. Validated on load by `loadCatalog`.
 */
import * as z from 'zod'
import {
  CLASSIFICATION_LEVELS,
  FIELD_TYPES,
  GENERALIZE_TARGETS,
  IDENTIFIER_KINDS,
  type MaskRule,
} from './classification.ts'

const IDENT = /^[a-z][a-z0-9_]{0,62}$/

const maskObject = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('keep') }).strict(),
  z.object({ rule: z.literal('pseudonym') }).strict(),
  z
    .object({
      rule: z.literal('partial'),
      keepStart: z.number().int().min(0).max(8).optional(),
      keepEnd: z.number().int().min(0).max(8).optional(),
    })
    .strict(),
  z.object({ rule: z.literal('generalize'), to: z.enum(GENERALIZE_TARGETS) }).strict(),
  z
    .object({
      rule: z.literal('bucketize'),
      bounds: z
        .array(z.number().finite())
        .min(1)
        .refine((b) => b.every((v, i) => i === 0 || v > b[i - 1]!), 'bounds must be strictly increasing'),
    })
    .strict(),
  z.object({ rule: z.literal('drop') }).strict(),
])

/** A mask is written either as its rule name (`"pseudonym"`) or as an object with options. */
export const maskRuleSchema = z
  .union([z.enum(['keep', 'pseudonym', 'partial', 'drop']), maskObject])
  .transform((m): MaskRule => (typeof m === 'string' ? ({ rule: m } as MaskRule) : (m as MaskRule)))

export const fieldDefinitionSchema = z
  .object({
    name: z.string().regex(IDENT, 'must be lower snake_case'),
    label: z.string().min(1),
    type: z.enum(FIELD_TYPES),
    level: z.enum(CLASSIFICATION_LEVELS),
    personal: z.boolean(),
    identifier: z.enum(IDENTIFIER_KINDS),
    mask: maskRuleSchema,
    required: z.boolean().default(false),
    /** `table.field` this field points at. */
    references: z
      .string()
      .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'must be table.field')
      .optional(),
    /** Closed list of allowed values (text fields). */
    values: z.array(z.string().min(1)).min(1).optional(),
    /** Regular expression every non-null value must fully match (text fields). */
    pattern: z
      .string()
      .refine((p) => {
        try {
          new RegExp(p)
          return true
        } catch {
          return false
        }
      }, 'is not a valid regular expression')
      .optional(),
    /** Digits after the decimal point (decimal fields). */
    scale: z.number().int().min(0).max(8).optional(),
    description: z.string().optional(),
  })
  .strict()

export const tableDefinitionSchema = z
  .object({
    id: z.string().regex(IDENT, 'must be lower snake_case'),
    title: z.string().min(1),
    source: z.string().min(1),
    updateFrequency: z.enum(['实时', '每日', '每周', '每月', '每季度', '每半年', '每年', '不定期']),
    /** What one key value identifies: an enterprise, a person, a property, an address, a route. */
    entity: z.enum(['person', 'enterprise', 'property', 'address', 'route']),
    key: z.array(z.string().regex(IDENT)).min(1),
    description: z.string().min(1),
    fields: z.array(fieldDefinitionSchema).min(1),
  })
  .strict()

export type FieldDefinition = z.output<typeof fieldDefinitionSchema>
export type TableDefinition = z.output<typeof tableDefinitionSchema>
