import { afterAll, describe, expect, it } from 'vitest'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { ProductIsolate } from '../../runtime/sandbox/product-isolate.ts'
import { DEFAULT_LIMITS } from '../../runtime/sandbox/limits.ts'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { apiProductSource, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'

const dir = mkdtempSync(join(tmpdir(), 'indomain-import-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// A computed specifier slips past the bundler's import guard (esbuild leaves `import(x)` as is).
// The isolate has no module loader: the promise must reject, never load node:fs. The promise
// settles after the call that started it, and no later execution of the runtime can see what an
// earlier one left; so this test reads it through the benchmarks' warm baseline (one product
// instance for every call, its module state kept), straight on the runtime's ProductIsolate.
const BODY = `
  if (state === 'idle') {
    state = 'pending'
    const spec = ['node', 'fs'].join(':')
    try {
      (import(spec) as Promise<any>).then((m) => { state = 'loaded:' + typeof m.readFileSync }, (e) => { state = 'rejected:' + (e && e.name) })
    } catch (e: any) { state = 'threw:' + e.name }
    return { value: 'started' }
  }
  return { value: state }
`

describe('attack: dynamic import() with a computed specifier', () => {
  it('the import is rejected', async () => {
    writeFileSync(join(dir, 'product.ts'), apiProductSource(BODY, { prelude: `let state = 'idle'` }))
    const bundle = await bundleProduct(dir)
    const isolate = new ProductIsolate(bundle.code, DEFAULT_LIMITS, { reuseInstance: true })
    try {
      const rows = JSON.stringify({ enterprise_basic: { columns: ['name', 'status'], length: 0, values: { name: { d: [], c: [] }, status: { d: [], c: [] } } } })
      const call = () => JSON.parse(isolate.invoke(JSON.stringify(SAMPLE_INPUT), rows, '2025-12-31')) as { ok: boolean; output?: { value: string } }
      expect(call()).toMatchObject({ ok: true, output: { value: 'started' } })
      expect(call()).toMatchObject({ ok: true, output: { value: 'rejected:Error' } })
    } finally {
      isolate.dispose()
    }
  }, 30_000)
})
