/**
 * 企业信用贷 — an evaluation on ground truth: on eight seeds no rule was tuned on, how well the score
 * ranks operating enterprises by their hidden health (Spearman, with a bootstrap interval), beside
 * the best single-field rule chosen on the tuning seeds; it passes only where its rank correlation is
 * at least 0.05 above that rule's on every seed, and where the share in poor health (< 0.5) rises
 * from grade AAA to C. Then what is not an evaluation (evaluation-1): the score's range, shells told
 * by their power use, no identifier, malformed input refused, and `indomain dev`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { isValidResidentId } from '../../catalog/identifiers/resident-id.ts'
import { isValidUscc } from '../../catalog/identifiers/uscc.ts'
import { invokeProduct } from '../../runtime/products/run-product.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { invokeEach, openApiProduct, type ApiProductFixture } from '../helpers/api-product-fixture.ts'
import { EVALUATION_SCALE, EVALUATION_SEEDS } from '../helpers/evaluation-seeds.ts'
import { SPEARMAN } from '../helpers/metrics.ts'
import { evaluateProduct, type ProductEvaluation } from '../helpers/product-evaluation.ts'

const PRODUCT = 'products/enterprise-credit-score'
const GRADES = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C']
type Output = { score: number; grade: string; reasons: string[] }
let evaluation: ProductEvaluation
/** evaluation-1's answers, enterprise by enterprise. */
let scored: { uscc: string; output: Output }[] = []
let sample: SampleStore
let fixture: ApiProductFixture

beforeAll(async () => {
  evaluation = await evaluateProduct({
    title: '企业信用贷',
    product: PRODUCT,
    task: { kind: 'rank', metric: SPEARMAN },
    // the operating enterprises, each with its hidden health
    population: `
      SELECT h.uscc AS entity, max(h.health) AS truth
      FROM ground_truth.enterprise_health h JOIN enterprise_basic b USING (uscc)
      WHERE b.status IN ('存续', '在业') GROUP BY 1`,
    margin: { kind: 'above', by: 0.05 },
    bands: { order: GRADES, bad: (health) => health < 0.5, label: 'health < 0.5' },
    async predict(store, seed, population) {
      const { outputs } = await invokeEach(store, PRODUCT, population.map((p) => p.entity), (uscc) => ({ uscc }))
      const answers = outputs as Output[]
      if (seed === EVALUATION_SEEDS[0]) scored = population.map(({ entity }, i) => ({ uscc: entity, output: answers[i]! }))
      return new Map(population.map(({ entity }, i) => [entity, { value: answers[i]!.score, band: answers[i]!.grade }]))
    },
  })
  // through the gate: the declared scenario approved with default masks, read from its views
  sample = await createSampleStore(EVALUATION_SCALE, EVALUATION_SEEDS[0])
  fixture = await openApiProduct(sample, PRODUCT)
}, 900_000)

afterAll(async () => {
  await fixture?.close()
  sample?.dispose()
})

describe('企业信用贷 — evaluation on ground truth', () => {
  it('ranks enterprises by their hidden health better than the best single-field rule, by 0.05 rank correlation on every evaluation seed', () => {
    console.log(evaluation.report)
    for (const s of evaluation.seeds) expect(s.items, s.seed).toBeGreaterThan(500)
    expect(evaluation.passes, evaluation.report).toBe(true)
  })

  it('grades mean their order: the share in poor health rises from AAA to C', () => {
    expect(evaluation.bands!.monotone, evaluation.report).toBe(true)
  })
})

describe('企业信用贷 — what it says', () => {
  it('scores every operating enterprise within 300–900 with a grade', () => {
    expect(scored.length).toBeGreaterThan(500)
    for (const s of scored) {
      expect(s.output.score).toBeGreaterThanOrEqual(300)
      expect(s.output.score).toBeLessThanOrEqual(900)
    }
    expect(new Set(scored.map((s) => s.output.grade)).size).toBeGreaterThanOrEqual(4)
  })

  it('tells shells by their power use: nearly every shell is given 用电活跃度低', async () => {
    const shells = new Set((await sample.storeRows(`SELECT uscc FROM ground_truth.enterprise_health WHERE is_shell = 1`)).map((r) => String(r.uscc)))
    const scoredShells = scored.filter((s) => shells.has(s.uscc))
    expect(scoredShells.length).toBeGreaterThan(10)
    expect(scoredShells.filter((s) => s.output.reasons.includes('用电活跃度低')).length / scoredShells.length).toBeGreaterThan(0.9)
  })

  it('releases no identifier: no resident ID or USCC anywhere in any output', () => {
    for (const s of scored) {
      const text = JSON.stringify(s.output)
      for (const token of text.match(/[0-9A-Z]{15,18}/g) ?? []) {
        expect(isValidResidentId(token) || isValidUscc(token), token).toBe(false)
      }
      expect(text).not.toContain(s.uscc)
    }
  })

  it('rejects malformed input with ERR_PARAMS_INVALID before running', async () => {
    await expect(invokeProduct(fixture.pool, fixture.product, { uscc: 'not-a-code' }, {}, '2025-12-31')).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
    await expect(invokeProduct(fixture.pool, fixture.product, { uscc: scored[0]!.uscc, extra: 1 }, {}, '2025-12-31')).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
  })

  it('`indomain dev` prints the score of a real generated enterprise', () => {
    const uscc = scored[0]!.uscc
    const bin = new URL('../../bin/indomain.js', import.meta.url).pathname
    const r = spawnSync(process.execPath, [bin, 'dev', 'products/enterprise-credit-score', '--db', sample.path, '--input', JSON.stringify({ uscc })], { encoding: 'utf8', env: { ...process.env, INDOMAIN_DATA_DIR: sample.dir } })
    expect(r.status, r.stderr).toBe(0)
    const printed = JSON.parse(r.stdout) as { output: { score: number }; codeHash: string }
    expect(printed.output.score).toBe(scored[0]!.output.score)
    expect(printed.codeHash).toBe(fixture.product.codeHash)
  })

  it('`indomain dev` answers an unknown enterprise with exit 1 and ERR_ENTITY_NOT_FOUND', () => {
    const bin = new URL('../../bin/indomain.js', import.meta.url).pathname
    const r = spawnSync(process.execPath, [bin, 'dev', 'products/enterprise-credit-score', '--db', sample.path, '--input', '{"uscc":"91350100M000100Y43"}'], { encoding: 'utf8', env: { ...process.env, INDOMAIN_DATA_DIR: sample.dir } })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('ERR_ENTITY_NOT_FOUND')
  })
})
