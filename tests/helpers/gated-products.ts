/** Products run through the scenario gate, for attack tests on the gate. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool, type SandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { loadProduct, type LoadedProduct } from '../../runtime/products/run-product.ts'
import { runThroughGate } from '../../runtime/products/run-through-gate.ts'
import { scenarioRequestOf } from '../../runtime/scenarios/dev-approval.ts'
import type { Scenario, ScenarioDecisionInput } from '../../runtime/scenarios/scenario.ts'
import type { ScenarioFixture } from './scenario-fixture.ts'

export type GatedHarness = {
  readonly pool: SandboxPool
  load(source: string): Promise<LoadedProduct>
  /** Files the product's declared scenario and approves it (defaults unless told otherwise). */
  approve(product: LoadedProduct, decision?: Partial<ScenarioDecisionInput>): Promise<Scenario>
  run(product: LoadedProduct, scenario: Scenario, input: unknown): Promise<{ ok: true; output: unknown } | { ok: false; code: string; error: unknown }>
  close(): Promise<void>
}

export function createGatedHarness(f: ScenarioFixture): GatedHarness {
  const pool = createSandboxPool({ workers: 1 })
  return {
    pool,
    async load(source) {
      const dir = mkdtempSync(join(f.dir, 'product-'))
      writeFileSync(join(dir, 'product.ts'), source)
      return loadProduct(pool, await bundleProduct(dir))
    },
    async approve(product, decision = {}) {
      const filed = await f.scenarios.request(scenarioRequestOf(product.manifest, 'partner-a'), f.catalog)
      return f.scenarios.decide(filed.id, { operator: 'op-1', approveRest: true, expiresOn: '2099-12-31', ...decision }, f.catalog)
    },
    async run(product, scenario, input) {
      try {
        const r = await runThroughGate({ pool, gate: f.gate, product, scenarioId: scenario.id, input, asOf: '2025-12-31' })
        return { ok: true, output: r.output }
      } catch (error) {
        return { ok: false, code: (error as { code?: string }).code ?? 'UNTYPED', error }
      }
    },
    close: () => pool.close(),
  }
}

/** An API product about one person, reading `household_registration` by resident ID. */
export function personProduct(body: string, fields = "name: '姓名', sex: '性别', phone: '电话'", output = 't.object({ value: t.nullable(t.string({ maxLength: 2000 })) })'): string {
  return `import { defineProduct, t } from 'indomain/sdk'
export default defineProduct({
  id: 'person-probe', version: '1.0.0', kind: 'api', title: '探针', category: '公共治理', description: 'probe',
  entityKey: 'id',
  scenario: { purpose: 'probe the gate', tables: { household_registration: { key: 'resident_id', fields: { ${fields} } } } },
  input: t.object({ id: t.residentId() }),
  output: ${output},
  run(ctx: any, input: any): any { ${body} },
})
`
}
