/**
 * A small synthetic store with a scenario store and a data gate, for scenario and view tests.
 */
import { join } from 'node:path'
import { createDataGate, type DataGate } from '../../runtime/scenarios/data-gate.ts'
import type { ScenarioStore } from '../../runtime/scenarios/scenario-store.ts'
import type { ReleaseStore } from '../../runtime/release/release-store.ts'
import { openState } from '../../runtime/state/state.ts'
import type { Scenario, ScenarioDecisionInput, ScenarioRequestInput } from '../../runtime/scenarios/scenario.ts'
import { openStore } from '../../runtime/store/index.ts'
import { createSampleStore, type SampleStore } from './sample-store.ts'

export type ScenarioFixture = SampleStore & {
  readonly scenarios: ScenarioStore
  readonly releases: ReleaseStore
  readonly gate: DataGate
  /** Files and approves a scenario in one go. */
  approve(request: Omit<ScenarioRequestInput, 'partner' | 'category' | 'purpose'> & Partial<ScenarioRequestInput>, decision?: Partial<ScenarioDecisionInput>): Promise<Scenario>
  /** Rows of a table in the scenario's views file (what products can ever read). */
  viewRows(scenarioId: string, table: string): Promise<Record<string, unknown>[]>
  close(): Promise<void>
}

export const NEXT_YEAR = `${new Date().getUTCFullYear() + 1}-12-31`

export async function createScenarioFixture(scale = 2000, seed = 'scenarios', today?: () => string): Promise<ScenarioFixture> {
  const sample = await createSampleStore(scale, seed)
  const state = await openState(join(sample.dir, 'state.sqlite'))
  const scenarios = state.scenarios
  const gate = createDataGate({ catalog: sample.catalog, storePath: sample.path, viewsDir: join(sample.dir, 'views'), scenarios, asOf: '2025-12-31', ...(today === undefined ? {} : { today }) })
  return {
    ...sample,
    scenarios,
    releases: state.releases,
    gate,
    async approve(request, decision = {}) {
      const filed = await scenarios.request({ partner: 'partner-a', category: '公共治理', purpose: 'testing the views', ...request }, sample.catalog)
      return scenarios.decide(filed.id, { operator: 'op-1', approveRest: true, expiresOn: NEXT_YEAR, ...decision }, sample.catalog)
    },
    async viewRows(scenarioId, table) {
      const file = await gate.views(scenarioId)
      const store = await openStore(file, { access: 'read-only' })
      try {
        return (await store.connection.runAndReadAll(`SELECT * FROM "${table}"`)).getRowObjectsJS() as Record<string, unknown>[]
      } finally {
        store.close()
      }
    },
    async close() {
      await state.close()
      sample.dispose()
    },
  }
}
