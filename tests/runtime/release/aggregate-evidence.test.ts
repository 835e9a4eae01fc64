/**
 * The aggregate rules with evidence from the data: a batch product's rows are matched to cells
 * computed from its scenario's views; small cells (and the cells that would reveal them through
 * the total) are refused, with every reason; a product that leaves them out passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'

const BIN = new URL('../../../bin/indomain.js', import.meta.url).pathname
const PRODUCT = 'tests/fixtures/products/elderly-alone-by-district'
let sample: SampleStore

function dev(input: object) {
  const r = spawnSync(process.execPath, [BIN, 'dev', PRODUCT, '--db', sample.path, '--input', JSON.stringify(input)], {
    encoding: 'utf8',
    env: { ...process.env, INDOMAIN_DATA_DIR: sample.dir },
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

beforeAll(async () => {
  sample = await createSampleStore(3000, 'aggregate')
})
afterAll(() => sample.dispose())

describe('aggregate release checks with evidence from the data', () => {
  it('refuse small cells and the secondary cell that would reveal them, exit 2 with every reason', () => {
    const r = dev({ minimum: 0 })
    expect(r.code).toBe(2)
    const error = JSON.parse(r.err.trim().split('\n').at(-1)!) as { code: string; details: { reasons: { code: string; cell?: string }[] } }
    expect(error.code).toBe('ERR_RELEASE_REFUSED')
    const codes = error.details.reasons.map((x) => x.code)
    expect(codes).toContain('SMALL_CELL')
    expect(error.details.reasons.every((x) => x.cell === undefined || /^\d{6}$/.test(x.cell))).toBe(true)
  })

  it('pass when the product itself leaves out every cell that would fail', () => {
    const r = dev({ minimum: 10 })
    expect(r.code, r.err).toBe(0)
    const result = JSON.parse(r.out) as { output: { districts: { alone: number }[] }; release: { checks: { passed: string[] } } }
    expect(result.output.districts.length).toBeGreaterThan(2)
    expect(result.output.districts.every((d) => d.alone >= 10)).toBe(true)
    expect(result.release.checks.passed).toContain('DISCLOSURE')
  })
})
