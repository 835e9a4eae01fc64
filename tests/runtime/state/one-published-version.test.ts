/**
 * One version of a product is published at a time: publishing retires the ones before it (a held
 * one too, so that ending the hold cannot bring it back beside the new one), and a state written
 * by the earlier runtime, where several versions of a product stood published, keeps only the
 * newest when it is opened; another product's version is untouched (control). On both backends.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { openState, type State } from '../../../runtime/state/state.ts'
import { stateBackends } from '../../helpers/state-backends.ts'

const version = (id: string, v: string) => ({ id, version: v, title: '企业信用贷', category: '产业发展', dir: `/tmp/${id}-${v}`, codeHash: 'c'.repeat(64), partner: 'credit-lab', scenario: 'scn-1', priceFen: 10, sources: ['市场监管局'] })
const statuses = async (state: State) => (await state.registry.versions()).map((p) => `${p.id}@${p.version}:${p.status}`).sort()

describe.each(stateBackends())('published versions on $name', (backend) => {
  afterAll(() => backend.cleanup())

  it('publishing retires the versions before it, a held one too; ending a hold brings back only the newest', async () => {
    const state = await openState(await backend.fresh())
    try {
      await state.registry.publish(version('credit', '1.0.0'))
      await state.registry.publish(version('other', '1.0.0'))
      expect(await state.registry.holdProduct('credit')).toBe(true)
      await state.registry.publish(version('credit', '1.1.0'))
      expect(await statuses(state)).toEqual(['credit@1.0.0:retired', 'credit@1.1.0:published', 'other@1.0.0:published'])
      await state.registry.holdProduct('credit')
      await state.registry.releaseHold('credit')
      expect((await state.registry.list()).map((p) => `${p.id}@${p.version}`)).toEqual(['credit@1.1.0', 'other@1.0.0'])
    } finally {
      await state.close()
    }
  })

  it('opening a state with several published versions of a product keeps the newest published', async () => {
    const location = await backend.fresh()
    let state = await openState(location)
    await state.registry.publish(version('credit', '1.0.0'))
    await new Promise((resolve) => setTimeout(resolve, 5))
    await state.registry.publish(version('credit', '1.1.0'))
    await state.registry.publish(version('other', '1.0.0'))
    // as the earlier runtime left it: every version published, and no callable-until migration yet
    await sql`UPDATE products SET status = 'published'`.execute(state.database.db)
    await sql`ALTER TABLE products DROP COLUMN callable_until`.execute(state.database.db)
    await sql`DELETE FROM kysely_migration WHERE name >= '0004-callable-until'`.execute(state.database.db)
    await state.close()
    state = await openState(location)
    try {
      expect(await statuses(state)).toEqual(['credit@1.0.0:retired', 'credit@1.1.0:published', 'other@1.0.0:published'])
    } finally {
      await state.close()
    }
  })
})
