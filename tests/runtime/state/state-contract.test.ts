/**
 * The state layer's contract, run against every backend available (the embedded file always;
 * PostgreSQL in CI): what each store keeps, the rules it applies, and that every count deciding
 * a refusal is exact when two replicas — two opened states on one database, each with its own
 * connections — race on it. Each guarantee is tried with the breaking case and its positive control.
 */
import { cityDay, cityMonth } from '../../../runtime/city-calendar.ts'
import { afterAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { loadCatalog } from '../../../catalog/load-catalog.ts'
import { makeUscc } from '../../../catalog/identifiers/uscc.ts'
import { openState, type State } from '../../../runtime/state/state.ts'
import { stateBackends } from '../../helpers/state-backends.ts'
import { newRelease } from '../../helpers/release-fixture.ts'

const catalog = loadCatalog()
const NEXT_YEAR = `${new Date().getUTCFullYear() + 1}-12-31`
const run = promisify(execFile)
const REPLICA = new URL('../../helpers/state-replica.ts', import.meta.url).pathname

const request = {
  partner: 'credit-lab',
  product: 'enterprise-credit-score',
  purpose: '授信前信用评估',
  category: '产业发展' as const,
  tables: { enterprise_basic: { key: 'uscc', fields: { uscc: '查询键', industry_code: '行业', registered_capital: '规模' } } },
}


/** Runs the same race in two processes of their own (two replicas), returning every result. */
async function raceInTwoProcesses(location: string, kind: string, perProcess: number): Promise<unknown[]> {
  const outputs = await Promise.all(
    ['a', 'b'].map((tag) => run(process.execPath, [REPLICA, location, kind, String(perProcess), tag], { timeout: 120_000 })),
  )
  return outputs.flatMap((o) => JSON.parse(o.stdout.trim()) as unknown[])
}

for (const backend of stateBackends()) {
  describe(`the state on ${backend.name}`, () => {
    afterAll(() => backend.cleanup())

    const withStates = async (work: (one: State, two: State, location: string) => Promise<void>) => {
      const location = await backend.fresh()
      const one = await openState(location)
      const two = await openState(location)
      try {
        await work(one, two, location)
      } finally {
        await one.close()
        await two.close()
      }
    }

    describe('migrations', () => {
      it('creates the schema on first open and leaves it as it is on the next', async () => {
        const location = await backend.fresh()
        const first = await openState(location)
        await first.registry.addConsumer('bank-a', '徽商银行')
        await first.close()
        const again = await openState(location)
        expect((await again.registry.consumers()).map((c) => c.id)).toEqual(['bank-a'])
        const ran = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(again.database.db)
        expect(ran.rows.map((r) => r.name)).toEqual(['0001-governance-state', '0002-audit-trail', '0003-city-days', '0004-callable-until'])
        await again.close()
      })

      it('refuses a database written by a newer runtime with ERR_STATE_SCHEMA, and changes nothing', async () => {
        const location = await backend.fresh()
        const state = await openState(location)
        await state.registry.addConsumer('bank-a', '徽商银行')
        await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(state.database.db)
        await state.close()
        await expect(openState(location)).rejects.toMatchObject({ code: 'ERR_STATE_SCHEMA', details: { location: expect.not.stringContaining('indomain:indomain') } })
      })
    })

    describe('principals', () => {
      it('registers a partner once; a suspension kills its tokens on every replica; a revocation is final', async () => {
        await withStates(async (one, two) => {
          const registration = { name: '徽信科技', uscc: makeUscc('9', '1', '340100', '7A123456'), contact: 'ops@example.cn', confidentialityAcknowledged: true }
          await one.principals.registerPartner('credit-lab', registration)
          await expect(two.principals.registerPartner('credit-lab', registration)).rejects.toMatchObject({ code: 'ERR_CONFLICT' })
          await expect(one.principals.registerPartner('other-lab', { ...registration, confidentialityAcknowledged: false })).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
          expect(await two.principals.get('partner', 'other-lab')).toBeUndefined()
          expect((await two.principals.get('partner', 'credit-lab'))!.tokensValidAfter).toBe(0)
          await one.principals.setStatus('partner', 'credit-lab', 'suspended')
          const seen = (await two.principals.get('partner', 'credit-lab'))!
          expect(seen.status).toBe('suspended')
          expect(seen.tokensValidAfter).toBeGreaterThan(Math.floor(Date.now() / 1000) - 5)
          await two.principals.setStatus('partner', 'credit-lab', 'revoked')
          await expect(one.principals.setStatus('partner', 'credit-lab', 'active')).rejects.toMatchObject({ code: 'ERR_CONFLICT' })
          expect((await one.principals.get('partner', 'credit-lab'))!.status).toBe('revoked')
        })
      })
    })

    describe('scenarios', () => {
      it('of two decisions prepared on one revision, on two replicas, exactly one applies', async () => {
        await withStates(async (one, two) => {
          const s = await one.scenarios.request(request, catalog)
          const decision = { operator: 'op-zhang', expiresOn: NEXT_YEAR, approveRest: true, revision: s.revision }
          const outcomes = await Promise.allSettled([one.scenarios.decide(s.id, decision, catalog), two.scenarios.decide(s.id, { ...decision, operator: 'op-li' }, catalog)])
          expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
          expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { code: 'ERR_CONFLICT' } })
          const stored = await two.scenarios.get(s.id)
          expect(stored.revision).toBe(1)
          expect(stored.history.map((h) => h.action)).toEqual(['requested', 'approved'])
        })
      })

      it('a decision that fails on one field changes no field at all; a revocation is seen by the other replica at once', async () => {
        await withStates(async (one, two) => {
          const s = await one.scenarios.request(request, catalog)
          const bad = { operator: 'op-zhang', expiresOn: NEXT_YEAR, approve: { 'enterprise_basic.industry_code': 'default', 'enterprise_basic.registered_capital': { rule: 'no-such-mask' } } }
          await expect(one.scenarios.decide(s.id, bad as never, catalog)).rejects.toMatchObject({ code: 'ERR_SCENARIO_INVALID' })
          const untouched = await two.scenarios.get(s.id)
          expect(untouched.revision).toBe(0)
          expect(untouched.fields.every((f) => f.decision === 'pending')).toBe(true)
          // positive control: the same decision without the bad mask applies
          await one.scenarios.decide(s.id, { operator: 'op-zhang', expiresOn: NEXT_YEAR, approveRest: true }, catalog)
          expect((await two.scenarios.get(s.id)).status).toBe('approved')
          await one.scenarios.revoke(s.id, 'op-zhang', '合作终止')
          expect((await two.scenarios.get(s.id)).status).toBe('revoked')
          await expect(two.scenarios.decide(s.id, { operator: 'op-li', expiresOn: NEXT_YEAR, approveRest: true }, catalog)).rejects.toMatchObject({ code: 'ERR_SCENARIO_REVOKED' })
        })
      })

      it('makes one unit-id secret for the installation, whichever replica asks first', async () => {
        await withStates(async (one, two) => {
          const [a, b] = await Promise.all([one.scenarios.unitSecret(), two.scenarios.unitSecret()])
          expect(a.equals(b)).toBe(true)
          expect(a).toHaveLength(32)
        })
      })
    })

    describe('registry', () => {
      it('authenticates a key until its consumer is suspended on another replica', async () => {
        await withStates(async (one, two) => {
          const { apiKey } = await one.registry.addConsumer('bank-a', '徽商银行', 100)
          await expect(two.registry.addConsumer('bank-a', '别的银行')).rejects.toMatchObject({ code: 'ERR_CONFLICT' })
          expect(await two.registry.authenticate(apiKey)).toMatchObject({ id: 'bank-a', status: 'active', monthlyQuota: 100 })
          expect(await two.registry.authenticate(`${apiKey.slice(0, -1)}x`)).toBeUndefined()
          await one.registry.setConsumerStatus('bank-a', 'suspended')
          expect(await two.registry.authenticate(apiKey)).toMatchObject({ status: 'suspended' })
        })
      })

      it('keeps prices under the operator\'s cap: a new cap brings prices down, a price above it is refused', async () => {
        await withStates(async (one, two) => {
          const product = { id: 'enterprise-credit-score', version: '1.0.0', title: '企业信用评分', category: '产业发展', dir: '/x', codeHash: 'c', partner: 'credit-lab', scenario: 'scn-1', sources: ['市场监管局'] }
          await one.registry.publish({ ...product, priceFen: 80 })
          await two.registry.setPriceCap(product.id, 50, 'op-zhang')
          expect((await one.registry.published(product.id))!.priceFen).toBe(50)
          await expect(one.registry.publish({ ...product, version: '1.1.0', priceFen: 60 })).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
          expect((await two.registry.versions()).map((p) => p.version)).toEqual(['1.0.0'])
          await one.registry.publish({ ...product, version: '1.1.0', priceFen: 50 })
          expect((await two.registry.published(product.id))!.version).toBe('1.1.0')
          expect(await two.registry.holdProduct(product.id)).toBe(true)
          expect(await one.registry.published(product.id)).toBeUndefined()
        })
      })
    })

    describe('product versions', () => {
      it('a version is submitted once after a dev run and decided once, not by its partner', async () => {
        await withStates(async (one, two) => {
          const upload = { product: 'enterprise-credit-score', version: '1.0.0', partner: 'credit-lab', codeHash: 'c', title: '企业信用评分', kind: 'api', category: '产业发展', dir: '/x' }
          await one.versions.upload(upload)
          await expect(two.versions.upload({ ...upload, partner: 'other-lab' })).rejects.toMatchObject({ code: 'ERR_CONFLICT' })
          await expect(one.versions.submit(upload.product, '1.0.0', 'credit-lab', 'scn-1')).rejects.toMatchObject({ code: 'ERR_CONFLICT' })
          await two.versions.recordDevRun(upload.product, '1.0.0', { output: {} })
          await one.versions.submit(upload.product, '1.0.0', 'credit-lab', 'scn-1')
          await expect(one.versions.decide(upload.product, '1.0.0', 'credit-lab', 'approve')).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' })
          const decided = await Promise.allSettled([one.versions.decide(upload.product, '1.0.0', 'op-zhang', 'approve'), two.versions.decide(upload.product, '1.0.0', 'op-li', 'reject', '口径不符')])
          expect(decided.filter((d) => d.status === 'fulfilled')).toHaveLength(1)
          expect(decided.find((d) => d.status === 'rejected')).toMatchObject({ reason: { code: 'ERR_CONFLICT' } })
          await expect(one.versions.upload(upload)).rejects.toMatchObject({ code: 'ERR_CONFLICT' })
        })
      })
    })

    describe('the release ledger', () => {
      it('keeps a release, its reasons and report, and lists and meters it', async () => {
        await withStates(async (one, two) => {
          const signed = await one.releases.record(newRelease({ token: 'jws' }))
          const refused = await one.releases.record(newRelease({ status: 'refused', priceFen: 0, reasons: [{ code: 'DIRECT_IDENTIFIER', path: '/a' }, { code: 'DIRECT_IDENTIFIER', path: '/b' }, { code: 'PERSONAL_VALUE', path: '/c' }] as never }))
          expect(await two.releases.get(signed.releaseId)).toMatchObject({ status: 'released', priceFen: 50, report: { passed: ['DIRECT_IDENTIFIER'] }, decisions: [] })
          expect(await two.releases.tokenOf(signed.releaseId)).toBe('jws')
          expect((await two.releases.get(refused.releaseId)).reasons).toHaveLength(3)
          expect((await two.releases.list({ status: 'refused' })).map((r) => r.releaseId)).toEqual([refused.releaseId])
          const month = cityMonth()
          expect(await two.releases.usage({ month })).toEqual([{ consumer: 'bank-a', product: 'enterprise-credit-score', partner: 'credit-lab', month, released: 1, refused: 1, feeFen: 50 }])
          expect(await two.releases.usage({ month: '2001-01' })).toEqual([])
          const today = cityDay()
          const activity = await two.releases.activity(today, today)
          expect(activity.daily).toEqual([{ day: today, product: 'enterprise-credit-score', calls: 1, refused: 1, consumers: 1 }])
          // a refusal counts once under each distinct rule
          expect(activity.refusalsByRule).toEqual([{ rule: 'DIRECT_IDENTIFIER', count: 1, consumers: 1 }, { rule: 'PERSONAL_VALUE', count: 1, consumers: 1 }])
          await expect(two.releases.get('rel-none')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' })
        })
      })

      it('keeps each cell\'s units exactly, ids up to 2^53 included, per consumer and kind of unit', async () => {
        await withStates(async (one, two) => {
          const units = [0, 1, 2 ** 52 - 1, 2 ** 53 - 1, 123_456_789_012]
          await one.releases.recordCells('bank-a', 'rel-1', { kind: 'person', released: [{ id: 'a', units }], withheld: [{ id: 'b', units: [] }] } as never)
          await one.releases.recordCells('bank-b', 'rel-2', { kind: 'person', released: [{ id: 'c', units: [7] }], withheld: [] } as never)
          expect(await two.releases.cellHistory('bank-a', 'person')).toEqual({ released: [{ id: 'a', units }], withheld: [{ id: 'b', units: [] }] })
          expect(await two.releases.cellHistory('bank-a', 'enterprise')).toEqual({ released: [], withheld: [] })
        })
      })

      it('counts a product\'s failures in the window across replicas', async () => {
        await withStates(async (one, two) => {
          const failure = { product: 'p', version: '1', consumer: 'bank-a', code: 'ERR_SANDBOX_THREW' }
          const counts = await Promise.all([one.releases.recordFailure(failure, 24), two.releases.recordFailure(failure, 24), one.releases.recordFailure(failure, 24)])
          expect([...counts].sort()).toEqual([1, 2, 3])
          expect(await two.releases.recordFailure({ ...failure, version: '2' }, 24)).toBe(1)
        })
      })

      it('a queued release is approved once per reviewer, never by its partner, and a rejection is final', async () => {
        await withStates(async (one, two) => {
          const queued = await one.releases.record(newRelease({ status: 'pending', result: { rows: 3 } }))
          await expect(one.releases.decide(queued.releaseId, 'credit-lab', 'approve')).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' })
          await expect(one.releases.decide(queued.releaseId, 'op-zhang', 'reject')).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
          const twice = await Promise.allSettled([one.releases.decide(queued.releaseId, 'op-zhang', 'approve'), two.releases.decide(queued.releaseId, 'op-zhang', 'approve')])
          expect(twice.filter((d) => d.status === 'fulfilled')).toHaveLength(1)
          expect((await two.releases.get(queued.releaseId)).decisions).toHaveLength(1)
          await two.releases.decide(queued.releaseId, 'op-li', 'reject', '名单不全')
          await expect(one.releases.decide(queued.releaseId, 'op-wang', 'approve')).rejects.toMatchObject({ code: 'ERR_CONFLICT' })
          expect(await one.releases.resultOf(queued.releaseId)).toEqual({ rows: 3 })
        })
      })
    })

    describe('meters shared by two replicas in processes of their own', () => {
      it('two processes opening a fresh database together migrate it once, and both work', async () => {
        const location = await backend.fresh()
        const uses = (await raceInTwoProcesses(location, 'consent', 3)) as number[]
        expect([...uses].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6])
      })

      it('numbers 40 uses of one consent token 1 to 40, none twice', async () => {
        const location = await backend.fresh()
        await (await openState(location)).close()
        const uses = (await raceInTwoProcesses(location, 'consent', 20)) as number[]
        expect([...uses].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
      })

      it('gives exactly 25 of 60 racing calls a monthly quota of 25, and a returned unit to the next', async () => {
        const location = await backend.fresh()
        const results = await raceInTwoProcesses(location, 'quota', 30)
        expect(results.filter((r) => r === true)).toHaveLength(25)
        expect(results.filter((r) => r === false)).toHaveLength(35)
        const state = await openState(location)
        await state.releases.returnQuota('bank-a', '2026-12')
        expect(await state.releases.reserveQuota('bank-a', '2026-12', 25)).toBe(true)
        expect(await state.releases.reserveQuota('bank-a', '2026-12', 25)).toBe(false)
        // positive control: another month has its own quota
        expect(await state.releases.reserveQuota('bank-a', '2027-01', 25)).toBe(true)
        await state.close()
      })

      it('spends exactly 7 of 20 racing spends of ε = 1 from a budget of 7', async () => {
        const location = await backend.fresh()
        const results = await raceInTwoProcesses(location, 'privacy', 10)
        expect(results.filter((r) => typeof r === 'number')).toHaveLength(7)
        expect(results.filter((r) => (r as { error?: string }).error === 'ERR_PRIVACY_BUDGET_EXHAUSTED')).toHaveLength(13)
      })

      it('admits exactly 12 distinct entities of 40 racing lookups, and an entity already looked up again', async () => {
        const location = await backend.fresh()
        const results = await raceInTwoProcesses(location, 'volume', 20)
        expect(results.filter((r) => r === true)).toHaveLength(12)
        const state = await openState(location)
        const admitted = (await state.database.db.selectFrom('entity_lookups').select('entity_hash').execute()).length
        expect(admitted).toBe(12)
        await state.close()
      })

      it('records each operator\'s decision on a queued release once, however many times it arrives', async () => {
        const location = await backend.fresh()
        const state = await openState(location)
        await state.releases.record(newRelease({ releaseId: 'rel-queued', status: 'pending', reviewersNeeded: 3 }))
        await state.close()
        await raceInTwoProcesses(location, 'review', 9)
        const after = await openState(location)
        expect((await after.releases.get('rel-queued')).decisions.map((d) => d.operator).sort()).toEqual(['op-0', 'op-1', 'op-2'])
        await after.close()
      })
    })
  })
}
