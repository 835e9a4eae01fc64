/**
 * A product run with its data taken through the scenario gate, for both paths: the one entity
 * the input names (rows from the scenario's in-memory index), or the scenario's tables and
 * declared queries for batch products. The scenario is checked before any data is read and
 * again after the run: an approval revoked or expired meanwhile releases nothing.
 */
import { randomBytes } from 'node:crypto'
import { RuntimeError } from '../errors.ts'
import { encryptedTables, type HeRuntime } from '../he/encrypted-tables.ts'
import type { EntityIndex } from '../entity/entity-index.ts'
import type { DataGate } from '../scenarios/data-gate.ts'
import type { SandboxPool } from '../sandbox/sandbox-pool.ts'
import { checkInput, invokeCheckedInput, runBatchCheckedInput, type LoadedProduct, type RunResult } from './run-product.ts'

export type GatedRun = {
  readonly pool: SandboxPool
  readonly gate: DataGate
  readonly product: LoadedProduct
  readonly scenarioId: string
  readonly consumer: string
  readonly input: unknown
  readonly asOf: string
  /** A warm index of the scenario (serving keeps one); built through the gate when absent. */
  readonly index?: EntityIndex
  /** Homomorphic aggregates, for batch products that declare encrypted ones. */
  readonly he?: HeRuntime
  /** The release this run will become (named in decryption approvals, so that both trails link). */
  readonly releaseId?: string
}

export async function runThroughGate(run: GatedRun): Promise<RunResult> {
  const { pool, gate, product, scenarioId, consumer, input, asOf } = run
  // a malformed input is refused before any data is touched
  const inputJson = checkInput(product, input)
  const scenario = await gate.usable(scenarioId)
  let result: RunResult
  if (product.manifest.kind === 'api') {
    const index = run.index ?? (await gate.entityIndex(scenarioId))
    const key = (input as Record<string, unknown> | null)?.[product.manifest.entityKey!]
    if (typeof key === 'string' && !index.has(key)) {
      throw new RuntimeError('ERR_ENTITY_NOT_FOUND', 'No record of this entity in the product\'s scenario')
    }
    result = await invokeCheckedInput(pool, product, inputJson, typeof key === 'string' ? index.lookupWire(key) : {}, asOf)
  } else {
    const { tables, dataKey } = await gate.batchData(scenarioId, product.manifest.queries ?? {})
    // encrypted aggregates: computed over ciphertexts, only released groups decrypted (same data version, same results)
    for (const [name, table] of await encryptedTables(run.he, scenario, product.manifest, { id: run.releaseId ?? `run-${randomBytes(6).toString('hex')}`, consumer })) tables.set(name, table)
    result = await runBatchCheckedInput(pool, product, inputJson, tables, asOf, dataKey)
  }
  await gate.usable(scenarioId)
  return result
}
