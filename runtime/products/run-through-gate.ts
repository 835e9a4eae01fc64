/**
 * A one-entity product's run with its data taken through the scenario gate: the entity the input
 * names, its rows from the scenario's in-memory index. The scenario is checked before any data is
 * read and again after the run — or, when the caller read it (serving), before the run and again
 * in the transaction that records the release: an approval revoked or expired meanwhile releases
 * nothing.
 * (Datasets and reports run through run-batch.ts.)
 */
import { RuntimeError } from '../errors.ts'
import type { EntityIndex } from '../entity/entity-index.ts'
import type { DataGate } from '../scenarios/data-gate.ts'
import type { Scenario } from '../scenarios/scenario.ts'
import { assertUsable } from '../scenarios/scenario-rules.ts'
import type { SandboxPool } from '../sandbox/sandbox-pool.ts'
import { checkInput, invokeCheckedInput, type LoadedProduct, type RunResult } from './run-product.ts'

export type GatedRun = {
  readonly pool: SandboxPool
  readonly gate: DataGate
  readonly product: LoadedProduct
  readonly scenarioId: string
  readonly input: unknown
  readonly asOf: string
  /** A warm index of the scenario (serving keeps one); built through the gate when absent. */
  readonly index?: EntityIndex
  /** The scenario as the caller just read it; its standing is checked again where the release is recorded. */
  readonly scenario?: Scenario
}

export async function runThroughGate(run: GatedRun): Promise<RunResult> {
  const { pool, gate, product, scenarioId, input, asOf } = run
  if (product.manifest.kind !== 'api') throw new RuntimeError('ERR_PARAMS_INVALID', 'Datasets and reports are run, not invoked per entity')
  // a malformed input is refused before any data is touched
  const inputJson = checkInput(product, input)
  if (run.scenario === undefined) await gate.usable(scenarioId)
  else assertUsable(run.scenario)
  const index = run.index ?? (await gate.entityIndex(scenarioId))
  const key = (input as Record<string, unknown> | null)?.[product.manifest.entityKey!]
  if (typeof key === 'string' && !index.has(key)) {
    throw new RuntimeError('ERR_ENTITY_NOT_FOUND', 'No record of this entity in the product\'s scenario')
  }
  const result = await invokeCheckedInput(pool, product, inputJson, typeof key === 'string' ? index.lookupWire(key) : {}, asOf)
  if (run.scenario === undefined) await gate.usable(scenarioId)
  return result
}
