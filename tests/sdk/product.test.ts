import { describe, expect, it } from 'vitest'
import { defineProduct, t, ProductError } from '../../sdk/index.ts'

const valid = {
  id: 'sample-product',
  version: '1.0.0',
  kind: 'api' as const,
  title: '样例',
  category: '公共治理' as const,
  description: 'x',
  entityKey: 'uscc' as const,
  scenario: { purpose: 'p', tables: { enterprise_basic: { key: 'uscc', fields: { status: 's' } } } },
  input: t.object({ uscc: t.uscc() }),
  output: t.object({ ok: t.boolean() }),
  run: () => ({ ok: true }),
}

describe('defineProduct', () => {
  it('returns the frozen definition', () => {
    const p = defineProduct(valid)
    expect(p.id).toBe('sample-product')
    expect(Object.isFrozen(p)).toBe(true)
  })
  it.each([
    ['a bad id', { id: 'Bad Id' }],
    ['a bad version', { version: 'v1' }],
    ['a bad kind', { kind: 'stream' }],
    ['a bad category', { category: 'commerce' }],
    ['no run', { run: 'nope' }],
    ['an empty scenario', { scenario: { purpose: 'p', tables: {} } }],
    ['a table without fields', { scenario: { purpose: 'p', tables: { t: { key: 'k', fields: {} } } } }],
    ['an api table without key', { scenario: { purpose: 'p', tables: { t: { fields: { a: 'b' } } } } }],
    ['an entityKey that is not an input', { entityKey: 'nope' }],
  ])('rejects %s', (_, change) => {
    expect(() => defineProduct({ ...valid, ...change } as never)).toThrow(TypeError)
  })
})

describe('schemas', () => {
  it('builds closed JSON Schema objects', () => {
    expect(t.object({ a: t.integer({ minimum: 0 }) })).toEqual({
      type: 'object',
      properties: { a: { type: 'integer', minimum: 0 } },
      required: ['a'],
      additionalProperties: false,
    })
    expect(t.nullable(t.string())).toEqual({ anyOf: [{ type: 'string' }, { type: 'null' }] })
    expect(t.uscc()['x-identifier']).toBe('uscc')
  })
})

describe('ProductError', () => {
  it('keeps a valid code and replaces an invalid one', () => {
    expect(new ProductError('NOT_FOUND').code).toBe('NOT_FOUND')
    expect(new ProductError('not a code; 110101199003078515').code).toBe('PRODUCT_ERROR')
  })
})
