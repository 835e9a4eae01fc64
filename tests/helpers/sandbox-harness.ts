/**
 * Runs product sources through the real path — bundle, sandbox worker pool, isolate — for
 * sandbox and attack tests. Each product source is written to its own temporary folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool, type SandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { DEFAULT_LIMITS, type SandboxLimits } from '../../runtime/sandbox/limits.ts'
import { checkInput, classifyUnits, finishBatch, invokeProduct, loadProduct, type EntityRows, type LoadedProduct } from '../../runtime/products/run-product.ts'
import { encodeEntityRows } from '../../runtime/entity/entity-wire.ts'
import type { UnitTables } from '../../runtime/sandbox/wire.ts'

export type Outcome =
  | { readonly ok: true; readonly output: unknown; readonly logs: readonly string[] }
  | { readonly ok: false; readonly code: string; readonly error: unknown }

export type SandboxHarness = {
  readonly pool: SandboxPool
  /** Bundles and loads a product from source text (TypeScript importing 'indomain/sdk'). */
  load(source: string, limits?: SandboxLimits): Promise<LoadedProduct>
  /** One call, in a context of its own (as every execution gets). */
  invoke(product: LoadedProduct, input: unknown, rows?: EntityRows): Promise<Outcome>
  /** `classify` over units: the units' results, parsed (one per unit, in order). */
  classify(product: LoadedProduct, input: unknown, units: UnitTables): Promise<Outcome>
  /** `run` of a batch product over released results. */
  finish(product: LoadedProduct, input: unknown, released: unknown): Promise<Outcome>
  close(): Promise<void>
}

/**
 * An API product wrapping `body` as the body of `run(ctx, input)`; input `{ uscc }`, output `{ value }`
 * unless `output` (a schema expression) says otherwise. `prelude` is top-level code; `exportDefault`
 * replaces the `defineProduct` call.
 */
export function apiProductSource(body: string, options: { output?: string; prelude?: string; exportDefault?: string } = {}): string {
  return `import { defineProduct, t, ProductError } from 'indomain/sdk'
void ProductError
${options.prelude ?? ''}
export default ${options.exportDefault ?? 'defineProduct'}({
  id: 'attack', version: '1.0.0', kind: 'api', title: '测试', category: '公共治理', description: 'attack fixture',
  entityKey: 'uscc',
  scenario: { purpose: 'test', tables: { enterprise_basic: { key: 'uscc', fields: { name: 'n', status: 's' } } } },
  input: t.object({ uscc: t.string({ maxLength: 18 }) }),
  output: ${options.output ?? 't.object({ value: t.nullable(t.string({ maxLength: 100000 })) })'},
  run(ctx: any, input: any): any {
    ${body}
  },
})
`
}

export const SAMPLE_INPUT = { uscc: '91350100M000100Y43' }
export const SAMPLE_ROWS: EntityRows = { enterprise_basic: { columns: ['name', 'status'], rows: [['六安恒信商贸有限公司', '存续']] } }

/**
 * Limits for tests that are not about time: the defaults' memory and output bounds, but CPU and
 * wall-clock limits a busy machine cannot reach, so that what a test expects (a serialization
 * failure, a bounded log) is not turned into a timeout by a second copy of the suite beside it.
 */
export const UNHURRIED_LIMITS: SandboxLimits = Object.freeze({ ...DEFAULT_LIMITS, cpuMs: 20_000, wallMs: 40_000 })

/**
 * What a product loads with when a test names no limits: the runtime's defaults but a wall-clock
 * limit a loaded machine cannot reach by waiting for a core (10 s instead of 2.5 s). CPU-bound
 * attacks still end on the 1 s CPU limit, as in production; a test about the wall-clock limit
 * itself names its limits.
 */
export const HARNESS_LIMITS: SandboxLimits = Object.freeze({ ...DEFAULT_LIMITS, wallMs: 10_000 })

/** A harness over a pool of `workers` workers, or over `pool` (lanes, say), which it then closes. */
export function createSandboxHarness(workers = 1, given?: SandboxPool): SandboxHarness {
  const pool = given ?? createSandboxPool({ workers })
  const dirs: string[] = []
  const settle = async (run: () => Promise<{ output: unknown; logs: readonly string[] }>): Promise<Outcome> => {
    try {
      const r = await run()
      return { ok: true, output: r.output, logs: r.logs }
    } catch (error) {
      return { ok: false, code: (error as { code?: string }).code ?? 'UNTYPED', error }
    }
  }
  return {
    pool,
    async load(source, limits = HARNESS_LIMITS) {
      const dir = mkdtempSync(join(tmpdir(), 'indomain-product-'))
      dirs.push(dir)
      writeFileSync(join(dir, 'product.ts'), source)
      return loadProduct(pool, await bundleProduct(dir), limits)
    },
    invoke: (product, input, rows = SAMPLE_ROWS) => settle(() => invokeProduct(pool, product, input, encodeEntityRows(rows), '2025-12-31')),
    classify: (product, input, units) =>
      settle(async () => {
        const r = await classifyUnits(pool, product, checkInput(product, input), units, '2025-12-31')
        return { output: r.results.flatMap((text) => JSON.parse(text) as unknown[]), logs: r.logs }
      }),
    finish: (product, input, released) => settle(() => finishBatch(pool, product, checkInput(product, input), JSON.stringify(released), '2025-12-31')),
    async close() {
      await pool.close()
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    },
  }
}
