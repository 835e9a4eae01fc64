/**
 * For product evaluations: a batch product run through the gate on a sample store, under its
 * declared scenario approved with default masks (as `indomain dev` does), and a way to turn the
 * scenario's pseudonyms back into the store's keys — for scoring against the ground truth only.
 */
import { join } from 'node:path'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { BATCH_LIMITS } from '../../runtime/sandbox/limits.ts'
import { loadProduct, type LoadedProduct } from '../../runtime/products/run-product.ts'
import { runThroughGate } from '../../runtime/products/run-through-gate.ts'
import { devApproval } from '../../runtime/scenarios/dev-approval.ts'
import { createDataGate } from '../../runtime/scenarios/data-gate.ts'
import { pseudonym } from '../../runtime/scenarios/masks.ts'
import { openState } from '../../runtime/state/state.ts'
import type { SampleStore } from './sample-store.ts'
import { aggregateEvidence, type AggregateEvidence } from '../../runtime/release/aggregate-evidence.ts'
import { checkRelease, type ReleaseVerdict } from '../../runtime/release/check-release.ts'
import { encodeCellKey } from '../../runtime/release/disclosure-control.ts'
import { defaultPolicy } from '../../runtime/release/release-policy.ts'
import { canonicalJson } from '../../runtime/release/signing.ts'

export async function runBatchProduct(
  sample: SampleStore,
  productDir: string,
  input: unknown = {},
): Promise<{ product: LoadedProduct; output: unknown; seconds: number; unmask: (keys: readonly string[]) => Map<string, string>; aggregate?: AggregateEvidence }> {
  const pool = createSandboxPool({ workers: 1 })
  const state = await openState(join(sample.dir, 'evaluation-state.duckdb'))
  try {
    const bundle = await bundleProduct(productDir)
    const product = await loadProduct(pool, bundle)
    pool.register(product.codeHash, bundle.code, BATCH_LIMITS)
    const scenario = await devApproval(state.scenarios, sample.catalog, product.manifest)
    const gate = createDataGate({ catalog: sample.catalog, storePath: sample.path, viewsDir: join(sample.dir, 'evaluation-views'), scenarios: state.scenarios, asOf: '2025-12-31' })
    await gate.views(scenario.id)
    const started = performance.now()
    const run = await runThroughGate({ pool, gate, product, scenarioId: scenario.id, consumer: 'evaluation', input, asOf: '2025-12-31' })
    const seconds = (performance.now() - started) / 1000
    const secret = await state.scenarios.secret(scenario.id)
    // the evidence the release gate computes from the views for a product's aggregate rows
    const disclosure = product.manifest.disclosure
    const aggregate = disclosure === undefined ? undefined : await aggregateEvidence(gate, scenario.id, disclosure, run.output)
    return {
      product,
      output: run.output,
      seconds,
      // pseudonym → key, for the keys given (the evaluation's, from the ground truth)
      unmask: (keys) => new Map(keys.map((k) => [pseudonym(secret, k), k])),
      ...(aggregate === undefined ? {} : { aggregate }),
    }
  } finally {
    await state.close()
    await pool.close()
  }
}

/** Precision and recall of a flagged set against the true set. */
export function precisionRecall(flagged: ReadonlySet<string>, truth: ReadonlySet<string>): { precision: number; recall: number; flagged: number; truth: number } {
  let hits = 0
  for (const f of flagged) if (truth.has(f)) hits++
  return { precision: flagged.size === 0 ? 0 : hits / flagged.size, recall: truth.size === 0 ? 1 : hits / truth.size, flagged: flagged.size, truth: truth.size }
}

/** The release checks a batch run's output meets at the gate (with the evidence from the views). */
export function releaseVerdict(run: Awaited<ReturnType<typeof runBatchProduct>>): ReleaseVerdict {
  const text = canonicalJson(run.output)
  return checkRelease({
    text,
    output: run.output,
    schema: run.product.manifest.output,
    policy: defaultPolicy(run.product.manifest.kind),
    guardReasons: [],
    ...(run.aggregate === undefined ? {} : { aggregate: { cells: run.aggregate.cells, dimensions: run.aggregate.dimensions, released: new Set(run.aggregate.released.map(encodeCellKey)) } }),
  })
}
