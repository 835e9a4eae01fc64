/**
 * Input and output schemas: plain JSON Schema (draft 2020-12 subset) objects built with `t`,
 * with their TypeScript types inferred. The runtime validates inputs before a run and outputs
 * after it; release checks read the output schema to know which fields may hold what.
 *
 * @example
 * ```ts
 * const input = t.object({ uscc: t.uscc() })
 * type Input = Infer<typeof input> // { uscc: string }
 * ```
 */

export type StringSchema = {
  readonly type: 'string'
  readonly minLength?: number
  readonly maxLength?: number
  readonly pattern?: string
  readonly enum?: readonly string[]
  /** Which identifier this string holds; release checks allow it only here and only as declared. */
  readonly 'x-identifier'?: 'uscc' | 'resident_id' | 'pseudonym'
  /** Free text must be declared; undeclared strings are expected to be codes or labels. */
  readonly 'x-free-text'?: boolean
}
export type NumberSchema = { readonly type: 'number' | 'integer'; readonly minimum?: number; readonly maximum?: number }
export type BooleanSchema = { readonly type: 'boolean' }
export type ArraySchema<I extends Schema = Schema> = { readonly type: 'array'; readonly items: I; readonly maxItems: number }
export type ObjectSchema<P extends Record<string, Schema> = Record<string, Schema>> = {
  readonly type: 'object'
  readonly properties: P
  readonly required: readonly (keyof P & string)[]
  readonly additionalProperties: false
}
export type NullableSchema<S extends Schema = Schema> = { readonly anyOf: readonly [S, { readonly type: 'null' }] }
export type Schema = StringSchema | NumberSchema | BooleanSchema | ArraySchema<any> | ObjectSchema<any> | NullableSchema<any>

/** The TypeScript type a schema describes. */
export type Infer<S> = S extends { readonly anyOf: readonly [infer N, unknown] }
  ? Infer<N> | null
  : S extends { readonly type: 'string'; readonly enum: readonly (infer E extends string)[] }
    ? E
    : S extends { readonly type: 'string' }
      ? string
      : S extends { readonly type: 'number' | 'integer' }
        ? number
        : S extends { readonly type: 'boolean' }
          ? boolean
          : S extends { readonly type: 'array'; readonly items: infer I }
            ? Infer<I>[]
            : S extends { readonly type: 'object'; readonly properties: infer P }
              ? { -readonly [K in keyof P]: Infer<P[K]> }
              : never

/** Schema builders. Every builder returns a frozen JSON Schema object. */
export const t = {
  /** @example t.string({ maxLength: 20 }) */
  string(options: Omit<StringSchema, 'type' | 'enum'> = {}) {
    return Object.freeze({ type: 'string', ...options }) as StringSchema
  },
  /** One of a closed list of codes. @example t.enum(['A', 'B', 'C']) */
  enum<const E extends readonly string[]>(values: E) {
    return Object.freeze({ type: 'string', enum: values }) as StringSchema & { enum: E }
  },
  /** A unified social credit code (GB 32100). @example t.uscc() */
  uscc() {
    return Object.freeze({ type: 'string', pattern: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$', 'x-identifier': 'uscc' }) as StringSchema
  },
  /** A resident identity number (GB 11643). @example t.residentId() */
  residentId() {
    return Object.freeze({ type: 'string', pattern: '^[0-9]{17}[0-9X]$', 'x-identifier': 'resident_id' }) as StringSchema
  },
  /** @example t.integer({ minimum: 300, maximum: 900 }) */
  integer(options: Omit<NumberSchema, 'type'> = {}) {
    return Object.freeze({ type: 'integer', ...options }) as NumberSchema
  },
  /** @example t.number({ minimum: 0 }) */
  number(options: Omit<NumberSchema, 'type'> = {}) {
    return Object.freeze({ type: 'number', ...options }) as NumberSchema
  },
  /** @example t.boolean() */
  boolean() {
    return Object.freeze({ type: 'boolean' }) as BooleanSchema
  },
  /** Arrays are bounded: `maxItems` is required. @example t.array(t.string(), { maxItems: 10 }) */
  array<I extends Schema>(items: I, options: { maxItems: number }) {
    return Object.freeze({ type: 'array', items, maxItems: options.maxItems }) as ArraySchema<I>
  },
  /** All properties are required and no others are allowed. @example t.object({ score: t.integer() }) */
  object<P extends Record<string, Schema>>(properties: P) {
    return Object.freeze({
      type: 'object',
      properties,
      required: Object.keys(properties),
      additionalProperties: false,
    }) as ObjectSchema<P>
  },
  /** A value or null. @example t.nullable(t.number()) */
  nullable<S extends Schema>(schema: S) {
    return Object.freeze({ anyOf: [schema, { type: 'null' }] }) as unknown as NullableSchema<S>
  },
}
