/**
 * For product evaluations: a batch product run the way the runtime runs it (runBatch: classify per
 * unit in the sandbox, the runtime's aggregates and rules, run over the released results) on a
 * sample store, under its declared scenario approved with default masks — row-level release to
 * the evaluation's consumer with `identifiers` as asked — and a way to turn the consumer's
 * pseudonyms back into the store's keys, for scoring against the ground truth only.
 */
import { join } from 'node:path'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { BATCH_LIMITS } from '../../runtime/sandbox/limits.ts'
import { loadProduct, type LoadedProduct } from '../../runtime/products/run-product.ts'
import { runBatch, type BatchRun } from '../../runtime/products/run-batch.ts'
import { proposedMasks, scenarioRequestOf } from '../../runtime/scenarios/dev-approval.ts'
import { createDataGate } from '../../runtime/scenarios/data-gate.ts'
import { pseudonym } from '../../runtime/scenarios/masks.ts'
import { openState } from '../../runtime/state/state.ts'
import type { SampleStore } from './sample-store.ts'
import { checkRelease, type ReleaseVerdict } from '../../runtime/release/check-release.ts'
import { defaultPolicy } from '../../runtime/release/release-policy.ts'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { newReleaseId } from '../../runtime/release/release-store.ts'

const CONSUMER = 'evaluation'

export async function runBatchProduct(
  sample: SampleStore,
  productDir: string,
  input: unknown = {},
  options: { readonly identifiers?: boolean } = {},
): Promise<{ product: LoadedProduct; output: unknown; seconds: number; run: BatchRun; unmask: (keys: readonly string[]) => Map<string, string> }> {
  const pool = createSandboxPool({ workers: 1 })
  const state = await openState(join(sample.dir, `evaluation-state-${Date.now().toString(36)}.sqlite`))
  try {
    const bundle = await bundleProduct(productDir)
    const product = await loadProduct(pool, bundle)
    pool.register(product.codeHash, bundle.code, BATCH_LIMITS)
    const filed = await state.scenarios.request(scenarioRequestOf(product.manifest, 'evaluation-lab'), sample.catalog)
    const rowLevel = product.manifest.rows === undefined ? {} : { release: { rowLevel: { consumers: [CONSUMER], identifiers: options.identifiers === true } } }
    const scenario = await state.scenarios.decide(filed.id, { operator: 'op-eval', approve: proposedMasks(product.manifest, sample.catalog), approveRest: true, expiresOn: '2099-12-31', ...rowLevel }, sample.catalog)
    const gate = createDataGate({ catalog: sample.catalog, storePath: sample.path, viewsDir: join(sample.dir, 'evaluation-views'), scenarios: state.scenarios, asOf: '2025-12-31' })
    await gate.views(scenario.id)
    const started = performance.now()
    const run = await runBatch({
      pool,
      gate,
      catalog: sample.catalog,
      ledger: state.releases,
      product,
      scenarioId: scenario.id,
      consumer: CONSUMER,
      input,
      asOf: '2025-12-31',
      policy: defaultPolicy(product.manifest.kind),
      releaseId: newReleaseId(),
    })
    const seconds = (performance.now() - started) / 1000
    const secret = await state.scenarios.secret(scenario.id)
    return {
      product,
      output: run.output,
      seconds,
      run,
      // the consumer's pseudonym → key, for the keys given (the evaluation's, from the ground truth)
      unmask: (keys) => new Map(keys.map((k) => [pseudonym(secret, `${CONSUMER}\u0000${k}`), k])),
    }
  } finally {
    await state.close()
    await pool.close()
  }
}

/** The release checks a batch run's output meets at the gate (identifiers approved for rows let through). */
export function releaseVerdict(run: Awaited<ReturnType<typeof runBatchProduct>>): ReleaseVerdict {
  const text = canonicalJson(run.output)
  return checkRelease({
    text,
    output: run.output,
    schema: run.product.manifest.output,
    policy: defaultPolicy(run.product.manifest.kind),
    guardReasons: run.run.reasons,
    ...(run.run.allowedIdentifiers.length === 0 ? {} : { allowedIdentifiers: new Set(run.run.allowedIdentifiers) }),
  })
}
