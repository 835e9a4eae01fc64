/**
 * Which operator decision a partner's dev run follows: an approved scenario of the product wins
 * over a later denial; a denial alone refuses the run (it is the decision), unless the partner has
 * filed a corrected request since, which waits for the operators — then the dev run goes on under
 * a dev approval instead of trapping the partner before it can produce the dev run a review needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalog } from '../../../catalog/load-catalog.ts'
import { operatorDecision } from '../../../runtime/scenarios/dev-approval.ts'
import type { ScenarioRequestInput } from '../../../runtime/scenarios/scenario.ts'
import { openState, type State } from '../../../runtime/state/state.ts'

const catalog = loadCatalog()
const PRODUCT = 'decision-choice'
const request: ScenarioRequestInput = { partner: 'acme-data', product: PRODUCT, purpose: '核验企业经营状态', category: '产业发展', tables: { enterprise_basic: { key: 'uscc', fields: { status: '经营状态' } } } }
let dir: string
let state: State
/** Each step a little later than the one before: decisions are ordered by their times. */
const later = () => new Promise((resolve) => setTimeout(resolve, 5))

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-operator-decision-'))
  state = await openState(join(dir, 'state.sqlite'))
})

afterAll(async () => {
  await state.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the decision a dev run follows', () => {
  it('a denial alone is the decision; a corrected request filed after it lets the dev run go on under a dev approval', async () => {
    const denied = await state.scenarios.request(request, catalog)
    await state.scenarios.deny(denied.id, 'op-zhang', '用途不清')
    expect((await operatorDecision(state.scenarios, PRODUCT))?.id).toBe(denied.id)
    await later()
    await state.scenarios.request({ ...request, purpose: '核验企业经营状态，服务普惠金融授信' }, catalog)
    expect(await operatorDecision(state.scenarios, PRODUCT)).toBeUndefined()
  })

  it('an approved scenario wins over a denial decided after it; another partner\'s decisions do not count', async () => {
    await later()
    const approved = await state.scenarios.request(request, catalog)
    await state.scenarios.decide(approved.id, { operator: 'op-zhang', approveRest: true, expiresOn: '2099-12-31' }, catalog)
    await later()
    const again = await state.scenarios.request(request, catalog)
    await state.scenarios.deny(again.id, 'op-li', '重复申请')
    expect((await operatorDecision(state.scenarios, PRODUCT, { partner: 'acme-data' }))?.id).toBe(approved.id)
    expect(await operatorDecision(state.scenarios, PRODUCT, { partner: 'other-lab' })).toBeUndefined()
  })
})
