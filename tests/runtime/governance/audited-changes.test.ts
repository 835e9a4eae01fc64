/**
 * A governance action's change and its audit entry are one transaction, on every backend: when the
 * trail cannot be written (it was cut below its signed head, so it fails closed), the change is not
 * stored either; a refused change writes no entry; and many actions at once, beside ordinary
 * group-committed appends, leave one chain that verifies.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { loadCatalog } from '../../../catalog/load-catalog.ts'
import { makeUscc } from '../../../catalog/identifiers/uscc.ts'
import { openAuditTrail, type AuditTrail } from '../../../runtime/audit/index.ts'
import { createGovernance, type Governance } from '../../../runtime/governance/index.ts'
import { openKeyStore, type KeyStore } from '../../../runtime/release/key-store.ts'
import { openState, type State } from '../../../runtime/state/state.ts'
import { stateBackends } from '../../helpers/state-backends.ts'

const catalog = loadCatalog()
const keysDir = mkdtempSync(join(tmpdir(), 'indomain-governance-keys-'))

type World = { state: State; keys: KeyStore; trail: AuditTrail; governance: Governance; close(): Promise<void> }

async function world(location: string, name: string): Promise<World> {
  const state = await openState(location)
  const keys = openKeyStore(join(keysDir, `${name}.json`), 'governance test passphrase', 'production')
  const trail = openAuditTrail(state.database, { key: keys.active() })
  return {
    state,
    keys,
    trail,
    governance: createGovernance({ state, keys, catalog, trail }),
    async close() {
      await trail.close().catch(() => undefined)
      await state.close()
    },
  }
}

const entriesOf = async (state: State, action: string): Promise<string[]> =>
  (await state.database.db.selectFrom('audit_entries').select('subject').where('action', '=', action).orderBy('seq').execute()).map((r) => r.subject)

/** Cuts the newest entry off the trail: it now ends before its last signed head, and refuses every append. */
async function cutTrail(state: State): Promise<void> {
  await sql`DELETE FROM audit_entries WHERE seq = (SELECT MAX(seq) FROM audit_entries)`.execute(state.database.db)
}

afterAll(() => rmSync(keysDir, { recursive: true, force: true }))

for (const backend of stateBackends()) {
  describe(`governance actions on ${backend.name}`, () => {
    afterAll(() => backend.cleanup())

    it('store the change with its entry, or neither when the trail cannot be written', async () => {
      const w = await world(await backend.fresh(), `${backend.name}-cut`)
      try {
        // positive control: the change and its entry
        await w.governance.addConsumer('op-zhang', 'bank-a', '甲银行', 100)
        await w.governance.capPrice('op-zhang', 'enterprise-credit-score', 500)
        expect((await w.state.registry.consumers()).map((c) => c.id)).toEqual(['bank-a'])
        expect(await entriesOf(w.state, 'consumer.added')).toEqual(['bank-a'])
        expect(await entriesOf(w.state, 'product.price_capped')).toEqual(['enterprise-credit-score'])

        await cutTrail(w.state)
        await expect(w.governance.addConsumer('op-zhang', 'bank-b', '乙银行', null)).rejects.toMatchObject({ code: 'ERR_AUDIT_INTEGRITY' })
        await expect(w.governance.capPrice('op-zhang', 'enterprise-credit-score', 100)).rejects.toMatchObject({ code: 'ERR_AUDIT_INTEGRITY' })
        await expect(w.governance.registerPartner('acme-data', { name: '数据公司', uscc: makeUscc('9', '1', '350100', 'M000100Y'), contact: 'a@b.cn', confidentialityAcknowledged: true })).rejects.toMatchObject({ code: 'ERR_AUDIT_INTEGRITY' })
        await expect(w.governance.setPrincipalStanding('op-zhang', 'auditor', 'audit-office', 'suspend', '离职')).rejects.toMatchObject({ code: 'ERR_AUDIT_INTEGRITY' })
        // nothing of the refused changes was stored
        expect((await w.state.registry.consumers()).map((c) => c.id)).toEqual(['bank-a'])
        expect(await w.state.registry.priceCap('enterprise-credit-score')).toBe(500)
        expect(await w.state.principals.get('partner', 'acme-data')).toBeUndefined()
        expect(await w.state.principals.get('auditor', 'audit-office')).toBeUndefined()
      } finally {
        await w.close()
      }
    })

    it('write no entry for a change that is refused', async () => {
      const w = await world(await backend.fresh(), `${backend.name}-refused`)
      try {
        await w.governance.addConsumer('op-zhang', 'bank-a', '甲银行', null)
        await expect(w.governance.addConsumer('op-zhang', 'bank-a', '甲银行', null)).rejects.toMatchObject({ code: 'ERR_CONFLICT' })
        await expect(w.governance.reinstateProduct('op-zhang', 'no-such-product', '误判')).rejects.toMatchObject({ code: 'ERR_CONFLICT' })
        expect(await entriesOf(w.state, 'consumer.added')).toEqual(['bank-a'])
        expect(await entriesOf(w.state, 'product.reinstated')).toEqual([])
      } finally {
        await w.close()
      }
    })

    it('many actions at once beside group-committed appends leave one chain that verifies', async () => {
      const w = await world(await backend.fresh(), `${backend.name}-many`)
      try {
        const actions = Array.from({ length: 16 }, (_, i) => w.governance.addConsumer('op-zhang', `bank-${i}`, `银行${i}`, null))
        const appends = Array.from({ length: 40 }, (_, i) => w.trail.append({ actor: 'bank-x', action: 'release.signed', subject: 'enterprise-credit-score@1.0.0', detail: { release: `rel-${i}` } }))
        await Promise.all([...actions, ...appends])
        expect((await entriesOf(w.state, 'consumer.added')).sort()).toEqual(Array.from({ length: 16 }, (_, i) => `bank-${i}`).sort())
        expect(await entriesOf(w.state, 'release.signed')).toHaveLength(40)
        expect(await w.trail.verify(w.keys.verificationJwks())).toMatchObject({ ok: true })
      } finally {
        await w.close()
      }
    })
  })
}
