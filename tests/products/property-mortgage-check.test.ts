/**
 * 不动产抵押状态核验 — a correctness test, not an evaluation: the product reports what the registers
 * hold, so the truth is a query over the same fields it reads and agreement proves correct copying,
 * not insight. For every registered property unit of a world the product was not written on, its
 * answer equals that query; the output names no person and no amount.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { openApiProduct, type ApiProductFixture } from '../helpers/api-product-fixture.ts'

let sample: SampleStore
let fixture: ApiProductFixture
let truth: Record<string, unknown>[]

beforeAll(async () => {
  sample = await createSampleStore(5000, 'mortgage-correctness')
  fixture = await openApiProduct(sample, 'products/property-mortgage-check')
  truth = await sample.storeRows(`
    SELECT e.unit_no, e.status, count(m.mortgage_no) FILTER (WHERE m.status = '有效') AS active,
           list(DISTINCT m.mortgagee_class) FILTER (WHERE m.status = '有效') AS classes
    FROM real_estate e LEFT JOIN mortgage m USING (unit_no) GROUP BY ALL`)
}, 180_000)

afterAll(async () => {
  await fixture?.close()
  sample?.dispose()
})

describe('不动产抵押状态核验 — correctness: answers exactly what the registers say', () => {
  it('answers exactly what the registers say, for every property unit (a query over the fields it reads)', async () => {
    let agree = 0
    let mortgaged = 0
    for (const r of truth) {
      const unitNo = String(r.unit_no)
      const { output } = await fixture.invoke(unitNo, { unitNo })
      const o = output as { mortgaged: boolean; activeMortgages: number; mortgageeClasses: string[]; seized: boolean }
      const classes = ((r.classes as string[] | null) ?? []).map(String).sort()
      if (o.activeMortgages === Number(r.active) && o.mortgaged === Number(r.active) > 0 && JSON.stringify([...o.mortgageeClasses].sort()) === JSON.stringify(classes) && o.seized === (r.status === '查封')) agree++
      if (o.mortgaged) mortgaged++
    }
    console.log(`不动产抵押状态核验 agreement ${(agree / truth.length).toFixed(4)} over ${truth.length} units (${mortgaged} mortgaged)`)
    expect(agree).toBe(truth.length)
    expect(mortgaged).toBeGreaterThan(0)
  }, 120_000)

  it('names no person and no amount', async () => {
    const unitNo = String(truth.find((r) => Number(r.active) > 0)!.unit_no)
    const { output } = await fixture.invoke(unitNo, { unitNo })
    const text = canonicalJson(output)
    expect(findIdentifiers(text)).toEqual([])
    const people = await sample.storeRows(`SELECT mortgagor_name, CAST(secured_amount AS VARCHAR) AS amount FROM mortgage WHERE unit_no = $1`, [unitNo])
    for (const p of people) {
      expect(text).not.toContain(String(p.mortgagor_name))
      expect(text).not.toContain(String(p.amount))
    }
    expect(text).not.toContain(unitNo)
  })
})
