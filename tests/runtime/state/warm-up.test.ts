/**
 * Serving opens what it will use before it says ready: on PostgreSQL, every connection of the
 * pool, so that the first calls do not each wait for a connection to be made. (The embedded file
 * has one connection, opened with the state.)
 */
import { afterAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { openStateDatabase } from '../../../runtime/state/state-database.ts'
import { stateBackends } from '../../helpers/state-backends.ts'

const postgres = stateBackends().find((b) => b.name === 'postgres')

describe.skipIf(postgres === undefined)('warming up the state on PostgreSQL', () => {
  afterAll(() => postgres?.cleanup())

  it('opens every connection of the pool before the first call', async () => {
    const url = await postgres!.fresh()
    const connections = async () => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
        return Number(rows[0]!.n)
      } finally {
        await client.end()
      }
    }
    const state = await openStateDatabase(url, { poolSize: 6 })
    try {
      // the control: migrating used fewer than the pool holds
      expect(await connections()).toBeLessThan(6)
      await state.warmUp()
      expect(await connections()).toBe(6)
    } finally {
      await state.close()
    }
  })
})
