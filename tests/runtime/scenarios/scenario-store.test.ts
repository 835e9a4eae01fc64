import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioFixture, NEXT_YEAR, type ScenarioFixture } from '../../helpers/scenario-fixture.ts'
import { approvedTables, assertUsable } from '../../../runtime/scenarios/scenario-store.ts'

let f: ScenarioFixture
beforeAll(async () => {
  f = await createScenarioFixture(500, 'store')
})
afterAll(() => f.close())

const request = {
  partner: 'bank-a',
  product: 'enterprise-credit-score',
  purpose: '授信前信用评估',
  category: '产业发展' as const,
  tables: {
    household_registration: { key: 'resident_id', fields: { name: '核对姓名', birth_date: '年龄', phone: '联系', resident_id: '查询键' } },
    social_insurance_enrollment: { key: 'resident_id', fields: { bank_card_no: '代发工资', contribution_base: '收入' } },
  },
}

describe('scenario requests', () => {
  it('files a request with every field pending and a history entry', async () => {
    const s = await f.scenarios.request(request, f.catalog)
    expect(s.status).toBe('pending')
    expect(s.fields.every((x) => x.decision === 'pending')).toBe(true)
    expect(s.fields).toHaveLength(6)
    expect(s.history.map((h) => h.action)).toEqual(['requested'])
    expect(s.keys).toEqual({ household_registration: 'resident_id', social_insurance_enrollment: 'resident_id' })
  })

  it.each([
    ['an unknown table', { tables: { secrets: { fields: { a: 'b' } } } }],
    ['an unknown field', { tables: { household_registration: { fields: { salary: 'x' } } } }],
    ['a field without justification', { tables: { household_registration: { fields: { name: ' ' } } } }],
    ['no tables', { tables: {} }],
    ['a bad category', { category: '商业' }],
    ['no purpose', { purpose: '' }],
  ])('refuses %s with ERR_SCENARIO_INVALID and stores nothing', async (_, change) => {
    const before = (await f.scenarios.list()).length
    await expect(f.scenarios.request({ ...request, ...change } as never, f.catalog)).rejects.toMatchObject({ code: 'ERR_SCENARIO_INVALID' })
    expect((await f.scenarios.list()).length).toBe(before)
  })
})

describe('decisions, field by field', () => {
  it('approves with default masks: L4 dropped, direct identifiers pseudonymized, the lookup key kept as key', async () => {
    const s = await f.approve(request, {})
    const mask = (name: string) => s.fields.find((x) => `${x.table}.${x.field}` === name)
    expect(mask('social_insurance_enrollment.bank_card_no')).toMatchObject({ decision: 'approved', mask: { rule: 'drop' } })
    expect(mask('household_registration.phone')).toMatchObject({ mask: { rule: 'partial' } })
    expect(mask('household_registration.resident_id')).toMatchObject({ mask: { rule: 'keep' } })
    expect(mask('household_registration.birth_date')).toMatchObject({ mask: { rule: 'generalize', to: 'year' } })
    expect(s.status).toBe('approved')
    expect(s.revision).toBe(1)
    expect(s.history.map((h) => h.action)).toEqual(['requested', 'approved'])
    // dropped fields do not reach the views
    expect(approvedTables(s).find((t) => t.table === 'social_insurance_enrollment')!.fields.map((x) => x.field)).toEqual(['contribution_base'])
  })

  it.each([
    ['L4 data unmasked', { approve: { 'social_insurance_enrollment.bank_card_no': { rule: 'keep' } } }, 'L4'],
    ['a direct identifier unmasked', { approve: { 'household_registration.phone': { rule: 'keep' } } }, 'direct identifier'],
    ['a mask that does not fit', { approve: { 'household_registration.name': { rule: 'bucketize', bounds: [1] } } }, 'bucketize'],
    ['a field that was not requested', { approve: { 'household_registration.ethnicity': { rule: 'keep' } } }, 'not requested'],
    ['an expiry in the past', { expiresOn: '2020-01-01' }, 'expiresOn'],
    ['a denial without reason', { deny: { 'household_registration.name': '' } }, 'reason'],
    ['a row filter on an unknown field', { rowFilters: { household_registration: { field: 'nope', values: ['1'] } } }, 'row filter'],
  ])('refuses %s and changes nothing', async (_, decision, problem) => {
    const s = await f.scenarios.request(request, f.catalog)
    await expect(f.scenarios.decide(s.id, { operator: 'op', approveRest: true, expiresOn: NEXT_YEAR, ...decision } as never, f.catalog)).rejects.toMatchObject({
      code: 'ERR_SCENARIO_INVALID',
      details: { problems: expect.arrayContaining([expect.stringContaining(problem)]) },
    })
    const after = await f.scenarios.get(s.id)
    expect(after.status).toBe('pending')
    expect(after.revision).toBe(0)
  })

  it('denies fields with reasons; a scenario with nothing approved is denied', async () => {
    const s = await f.scenarios.request({ ...request, tables: { household_registration: { key: 'resident_id', fields: { name: '核对' } } } }, f.catalog)
    const d = await f.scenarios.decide(s.id, { operator: 'op', deny: { 'household_registration.name': '姓名非必要' }, expiresOn: NEXT_YEAR }, f.catalog)
    expect(d.status).toBe('denied')
    expect(d.fields[0]).toMatchObject({ decision: 'denied', reason: '姓名非必要' })
    expect(() => assertUsable(d)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO_NOT_APPROVED' }))
  })

  it('revokes for good and records who and why', async () => {
    const s = await f.approve(request)
    const r = await f.scenarios.revoke(s.id, 'op-2', '合作终止')
    expect(r.status).toBe('revoked')
    expect(r.history.at(-1)).toMatchObject({ actor: 'op-2', action: 'revoked' })
    expect(() => assertUsable(r)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO_REVOKED' }))
    await expect(f.scenarios.decide(s.id, { operator: 'op', approveRest: true, expiresOn: NEXT_YEAR }, f.catalog)).rejects.toMatchObject({ code: 'ERR_SCENARIO_REVOKED' })
  })

  it('knows an expired approval', async () => {
    const s = await f.approve(request)
    expect(() => assertUsable(s, '9999-01-01')).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO_EXPIRED' }))
    expect(() => assertUsable(s)).not.toThrow()
  })

  it('answers an unknown scenario with ERR_SCENARIO_NOT_FOUND', async () => {
    await expect(f.scenarios.get('scn-nope')).rejects.toMatchObject({ code: 'ERR_SCENARIO_NOT_FOUND' })
  })
})
