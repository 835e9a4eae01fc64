/**
 * 企业空壳扫描 on ground truth: on a seed its rules were not tuned on, the flags find the shells the
 * generator planted (precision and recall ≥ 0.8 among operating companies), the output passes the
 * release checks, and it carries no identifier — only the scenario's pseudonyms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { checkRelease } from '../../runtime/release/check-release.ts'
import { defaultPolicy } from '../../runtime/release/release-policy.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { precisionRecall, runBatchProduct } from '../helpers/batch-product-run.ts'

type Output = { scanned: number; flagged: { enterprise: string; signals: string[] }[] }
let sample: SampleStore
let run: Awaited<ReturnType<typeof runBatchProduct>>
let shells: Set<string>
let companies: string[]

beforeAll(async () => {
  sample = await createSampleStore(20_000, 'shell-evaluation')
  run = await runBatchProduct(sample, 'products/enterprise-shell-scan')
  const truth = await sample.storeRows(
    `SELECT b.uscc, h.is_shell FROM enterprise_basic b JOIN ground_truth.enterprise_health h USING (uscc)
     WHERE b.status IN ('存续', '在业') AND b.enterprise_type IN ('有限责任公司', '股份有限公司')`,
  )
  companies = truth.map((r) => String(r.uscc))
  shells = new Set(truth.filter((r) => Number(r.is_shell) === 1).map((r) => String(r.uscc)))
}, 180_000)
afterAll(() => sample.dispose())

describe('企业空壳扫描 on ground truth', () => {
  it('finds the planted shells with precision and recall of at least 0.8', () => {
    const output = run.output as Output
    // every enterprise of the registry was classified; the operating companies among them are the candidates
    expect(output.scanned).toBeGreaterThanOrEqual(companies.length)
    const unmask = run.unmask(companies)
    const flagged = new Set(output.flagged.map((f) => unmask.get(f.enterprise)!))
    expect(flagged.has(undefined as never)).toBe(false)
    const quality = precisionRecall(flagged, shells)
    console.log(`企业空壳扫描 precision ${quality.precision.toFixed(3)} recall ${quality.recall.toFixed(3)} (${quality.flagged} flagged, ${quality.truth} shells among ${companies.length} companies)`)
    expect(quality.truth).toBeGreaterThan(10)
    expect(quality.precision, JSON.stringify(quality)).toBeGreaterThanOrEqual(0.8)
    expect(quality.recall, JSON.stringify(quality)).toBeGreaterThanOrEqual(0.8)
  })

  it('passes the release checks and carries no identifier, only pseudonyms', () => {
    const text = canonicalJson(run.output)
    expect(findIdentifiers(text)).toEqual([])
    const verdict = checkRelease({ text, output: run.output, schema: run.product.manifest.output, policy: defaultPolicy('dataset'), guardReasons: run.run.reasons })
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true)
    for (const uscc of companies.slice(0, 200)) expect(text).not.toContain(uscc)
  })
})
