/**
 * 企业空壳扫描 — an evaluation on ground truth: on eight seeds no rule was tuned on, its flags against
 * the shells the generator planted among operating companies (F1, with a bootstrap interval), beside
 * the best single-field rule chosen on the tuning seeds; it would pass only where its F1 is at least
 * 0.05 above that rule's on every seed, and it does not: a known failure, marked as one (`it.fails`),
 * with the comparison unchanged. Then what is not an evaluation: the release checks and the
 * pseudonyms (evaluation-1's run).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { releaseVerdict, runBatchProduct } from '../helpers/batch-product-run.ts'
import { EVALUATION_SEEDS } from '../helpers/evaluation-seeds.ts'
import { evaluateProduct, type ProductEvaluation } from '../helpers/product-evaluation.ts'

const PRODUCT = 'products/enterprise-shell-scan'
type Output = { scanned: number; flagged: { enterprise: string; signals: string[] }[] }
let evaluation: ProductEvaluation
let first: { run: Awaited<ReturnType<typeof runBatchProduct>>; companies: string[]; resolved: number }

beforeAll(async () => {
  evaluation = await evaluateProduct({
    title: '企业空壳扫描',
    product: PRODUCT,
    task: { kind: 'flag' },
    // the operating companies of the register, each with whether the generator made it a shell
    population: `
      SELECT b.uscc AS entity, max(h.is_shell) AS truth
      FROM enterprise_basic b JOIN ground_truth.enterprise_health h USING (uscc)
      WHERE b.status IN ('存续', '在业') AND b.enterprise_type IN ('有限责任公司', '股份有限公司') GROUP BY 1`,
    margin: { kind: 'above', by: 0.05 },
    async predict(sample, seed, population) {
      const run = await runBatchProduct(sample, PRODUCT)
      const companies = population.map((p) => p.entity)
      const unmask = run.unmask(companies)
      const output = run.output as Output
      if (seed === EVALUATION_SEEDS[0]) first = { run, companies, resolved: output.flagged.filter((f) => unmask.has(f.enterprise)).length }
      // a pseudonym that resolves to no company of the population stays as it is: a false flag
      return new Map(output.flagged.map((f) => [unmask.get(f.enterprise) ?? f.enterprise, { value: 1 }]))
    },
  })
}, 900_000)

describe('企业空壳扫描 — evaluation on ground truth', () => {
  it('is measured against the best single-field rule on every evaluation seed', () => {
    console.log(evaluation.report)
    for (const s of evaluation.seeds) expect(s.positives, s.seed).toBeGreaterThan(10)
  })

  // A known failure, not a weaker test: on generator version 3 small real businesses are as quiet on
  // the meters as shells, the registers tell only some apart, some twenty shells a city leave each
  // seed's F1 uncertain by ±0.15, and the truth itself errs (README); the product beats the rule on
  // some seeds, not on every one. When it does on every seed, this fails: make it an ordinary `it` then.
  it.fails('does not yet find the planted shells better than the best single-field rule by 0.05 F1 on every evaluation seed (known failure)', () => {
    expect(evaluation.passes, evaluation.report).toBe(true)
  })
})

describe('企业空壳扫描 — release', () => {
  it('scans every company and flags only companies of the register, as pseudonyms the regulator resolves', () => {
    const output = first.run.output as Output
    expect(output.scanned).toBeGreaterThanOrEqual(first.companies.length)
    expect(first.resolved).toBe(output.flagged.length)
  })

  it('passes the release checks and carries no identifier, only pseudonyms', () => {
    const text = canonicalJson(first.run.output)
    expect(findIdentifiers(text)).toEqual([])
    const verdict = releaseVerdict(first.run)
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true)
    for (const uscc of first.companies.slice(0, 200)) expect(text).not.toContain(uscc)
  })
})
