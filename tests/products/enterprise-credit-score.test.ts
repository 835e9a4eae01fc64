import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { isValidResidentId } from '../../catalog/identifiers/resident-id.ts'
import { isValidUscc } from '../../catalog/identifiers/uscc.ts'
import { invokeProduct } from '../../runtime/products/run-product.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { openApiProduct, type ApiProductFixture } from '../helpers/api-product-fixture.ts'

let sample: SampleStore
let fixture: ApiProductFixture
type Scored = { uscc: string; health: number; shell: boolean; output: { score: number; grade: string; reasons: string[] } }
const scored: Scored[] = []

function rankCorrelation(xs: number[], ys: number[]): number {
  const rank = (v: number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0])
    const r = new Array<number>(v.length)
    order.forEach(([, i], k) => (r[i] = k))
    return r
  }
  const rx = rank(xs)
  const ry = rank(ys)
  const n = xs.length
  const mean = (n - 1) / 2
  let num = 0
  let dx = 0
  let dy = 0
  for (let i = 0; i < n; i++) {
    num += (rx[i]! - mean) * (ry[i]! - mean)
    dx += (rx[i]! - mean) ** 2
    dy += (ry[i]! - mean) ** 2
  }
  return num / Math.sqrt(dx * dy)
}

beforeAll(async () => {
  sample = await createSampleStore(20_000, 'credit')
  // through the gate: the declared scenario approved with default masks, read from its views
  fixture = await openApiProduct(sample, 'products/enterprise-credit-score')
  const rows = (
    await sample.storeRows(
      `SELECT h.uscc, h.health, h.is_shell FROM ground_truth.enterprise_health h
       JOIN enterprise_basic b ON b.uscc = h.uscc WHERE b.status IN ('存续', '在业') ORDER BY h.uscc`,
    )
  ).map((r) => [String(r.uscc), Number(r.health), Number(r.is_shell) === 1] as const)
  const outputs = await Promise.all(rows.map(([uscc]) => fixture.invoke(uscc, { uscc })))
  rows.forEach(([uscc, health, shell], i) => scored.push({ uscc, health, shell, output: outputs[i]!.output as Scored['output'] }))
}, 180_000)

afterAll(async () => {
  await fixture.close()
  sample.dispose()
})

describe('企业信用贷 on ground truth', () => {
  it('scores every operating enterprise within 300–900 with a grade', () => {
    expect(scored.length).toBeGreaterThan(500)
    for (const s of scored) {
      expect(s.output.score).toBeGreaterThanOrEqual(300)
      expect(s.output.score).toBeLessThanOrEqual(900)
    }
    expect(new Set(scored.map((s) => s.output.grade)).size).toBeGreaterThanOrEqual(4)
  })

  it('ranks enterprises by their hidden health (rank correlation clearly positive)', () => {
    const rho = rankCorrelation(
      scored.map((s) => s.output.score),
      scored.map((s) => s.health),
    )
    expect(rho).toBeGreaterThan(0.35)
  })

  it('gives failing enterprises far lower scores than sound ones, and shells low scores', () => {
    const mean = (list: Scored[]) => list.reduce((a, s) => a + s.output.score, 0) / list.length
    const weak = scored.filter((s) => !s.shell && s.health < 0.4)
    const sound = scored.filter((s) => !s.shell && s.health > 0.75)
    const shells = scored.filter((s) => s.shell)
    expect(weak.length).toBeGreaterThan(10)
    expect(shells.length).toBeGreaterThan(10)
    expect(mean(sound) - mean(weak)).toBeGreaterThan(80)
    expect(mean(shells)).toBeLessThan(mean(sound) - 100)
    expect(shells.filter((s) => s.output.reasons.includes('用电活跃度低')).length / shells.length).toBeGreaterThan(0.9)
  })

  it('releases no identifier: no resident ID or USCC anywhere in any output', () => {
    for (const s of scored) {
      const text = JSON.stringify(s.output)
      for (const token of text.match(/[0-9A-Z]{15,18}/g) ?? []) {
        expect(isValidResidentId(token) || isValidUscc(token), token).toBe(false)
      }
      expect(text).not.toContain(s.uscc)
    }
  })

  it('rejects malformed input with ERR_PARAMS_INVALID before running', async () => {
    await expect(invokeProduct(fixture.pool, fixture.product, { uscc: 'not-a-code' }, {}, '2025-12-31')).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
    await expect(invokeProduct(fixture.pool, fixture.product, { uscc: scored[0]!.uscc, extra: 1 }, {}, '2025-12-31')).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
  })

  it('`indomain dev` prints the score of a real generated enterprise', () => {
    const uscc = scored[0]!.uscc
    const bin = new URL('../../bin/indomain.js', import.meta.url).pathname
    const r = spawnSync(process.execPath, [bin, 'dev', 'products/enterprise-credit-score', '--db', sample.path, '--input', JSON.stringify({ uscc })], { encoding: 'utf8', env: { ...process.env, INDOMAIN_DATA_DIR: sample.dir } })
    expect(r.status, r.stderr).toBe(0)
    const printed = JSON.parse(r.stdout) as { output: { score: number }; codeHash: string }
    expect(printed.output.score).toBe(scored[0]!.output.score)
    expect(printed.codeHash).toBe(fixture.product.codeHash)
  })

  it('`indomain dev` answers an unknown enterprise with exit 1 and ERR_ENTITY_NOT_FOUND', () => {
    const bin = new URL('../../bin/indomain.js', import.meta.url).pathname
    const r = spawnSync(process.execPath, [bin, 'dev', 'products/enterprise-credit-score', '--db', sample.path, '--input', '{"uscc":"91350100M000100Y43"}'], { encoding: 'utf8', env: { ...process.env, INDOMAIN_DATA_DIR: sample.dir } })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('ERR_ENTITY_NOT_FOUND')
  })
})
