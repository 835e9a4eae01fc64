import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Registry } from '../../../runtime/server/registry.ts'
import { openState, type State } from '../../../runtime/state/state.ts'

let dir: string
let registry: Registry
let state: State
const product = { id: 'enterprise-credit-score', version: '1.0.0', title: '企业信用贷', category: '产业发展', dir: '.', codeHash: 'h', partner: 'p', scenario: 's', sources: [] }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-registry-'))
  state = await openState(join(dir, 'state.sqlite'))
  registry = state.registry
})
afterAll(async () => {
  await state.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the registry', () => {
  it('keeps prices within the operator\'s cap', async () => {
    await registry.setPriceCap('enterprise-credit-score', 80, 'op')
    await expect(registry.publish({ ...product, priceFen: 120 })).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
    await registry.publish({ ...product, priceFen: 60 })
    expect((await registry.published('enterprise-credit-score'))!.priceFen).toBe(60)
    // a lower cap brings the published price down at once
    await registry.setPriceCap('enterprise-credit-score', 40, 'op')
    expect((await registry.published('enterprise-credit-score'))!.priceFen).toBe(40)
    expect(await registry.priceCap('enterprise-credit-score')).toBe(40)
  })

  it('shows an API key once and authenticates only that key', async () => {
    const { apiKey } = await registry.addConsumer('bank-a', '某银行')
    expect(apiKey).toMatch(/^idk_[A-Za-z0-9_-]{43}$/)
    expect(await registry.authenticate(apiKey)).toMatchObject({ id: 'bank-a' })
    expect(await registry.authenticate(`${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined()
    await expect(registry.addConsumer('bank-a', 'again')).rejects.toMatchObject({ code: 'ERR_CONFLICT' })
  })
})
