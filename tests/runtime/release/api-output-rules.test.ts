import { describe, expect, it } from 'vitest'
import { API_MAX_ITEMS, checkApiOutputSchema, findPersonalValues } from '../../../runtime/release/api-output-rules.ts'
import { t } from '../../../sdk/index.ts'
import type { ValueSchema } from '../../../runtime/products/manifest.ts'

const schema = (s: unknown) => s as ValueSchema

describe('checkApiOutputSchema', () => {
  it('accepts ranged numbers, enums, anchored patterns, booleans and bounded arrays', () => {
    const ok = t.object({
      score: t.integer({ minimum: 0, maximum: 100 }),
      grade: t.enum(['A', 'B']),
      asOf: t.string({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
      flag: t.boolean(),
      reasons: t.array(t.enum(['X']), { maxItems: 10 }),
      maybe: t.nullable(t.number({ minimum: 0, maximum: 1 })),
    })
    expect(checkApiOutputSchema(schema(ok))).toEqual([])
  })

  it('names every unbounded place by its path', () => {
    const bad = t.object({
      n: t.number({ minimum: 0 }),
      s: t.string({ maxLength: 10 }),
      unanchored: t.string({ pattern: '[a-z]+' }),
      list: t.array(t.object({ m: t.integer() }), { maxItems: API_MAX_ITEMS + 1 }),
    })
    expect(checkApiOutputSchema(schema(bad))).toEqual([
      '/n: a number needs a declared minimum and maximum',
      '/s: a string needs an enum or a pattern anchored with ^ and $',
      '/unanchored: a string needs an enum or a pattern anchored with ^ and $',
      `/list: an array may hold at most ${API_MAX_ITEMS} items`,
      '/list/*/m: a number needs a declared minimum and maximum',
    ])
    expect(checkApiOutputSchema(schema({ type: 'string', pattern: '^.*$', 'x-free-text': true }))).toEqual(['/: free text is not a one-entity answer'])
  })
})

describe('findPersonalValues', () => {
  const out = t.object({ label: t.string({ pattern: '^.{0,64}$' }), grade: t.enum(['张*']), amount: t.number({ minimum: 0, maximum: 1e6 }), n: t.integer({ minimum: 0, maximum: 10 }) })
  const guarded = { texts: new Set(['张*', '138****8000', 'p_qwerty']), numbers: new Set([5123.4, 7, 8000]) }

  it('finds guarded texts whole or inside a label, and specific guarded amounts', () => {
    expect(findPersonalValues({ label: '张*', grade: '张*', amount: 1, n: 1 }, schema(out), guarded)).toEqual(['/label'])
    expect(findPersonalValues({ label: 'L张*|138****8000', grade: '张*', amount: 5123.4, n: 1 }, schema(out), guarded)).toEqual(['/label', '/amount'])
    expect(findPersonalValues({ label: 'x', grade: '张*', amount: 8000, n: 1 }, schema(out), guarded)).toEqual(['/amount'])
    expect(findPersonalValues({ list: [{ label: 'CODE-p_qwerty-1' }] }, schema(t.object({ list: t.array(t.object({ label: t.string({ pattern: '^.*$' }) }), { maxItems: 5 }) })), guarded)).toEqual(['/list/0/label'])
  })

  it('positive control: enum values, small integers and other texts pass', () => {
    // 7 is guarded but small integers repeat by chance (ages, counts): not specific enough
    expect(findPersonalValues({ label: '张三丰 is not masked', grade: '张*', amount: 5123.5, n: 7 }, schema(out), guarded)).toEqual([])
    expect(findPersonalValues({ label: '张' }, schema(out), guarded)).toEqual([])
  })
})
