/**
 * Batches and queued writes (state/postgres-round-trips.ts), on every backend: what a batch reads
 * is what separate statements would read; a queued write commits with its transaction or not at
 * all; hostile text in a parameter is stored as text, never run; a batch's lock holds for the
 * statements after it; and on PostgreSQL a signed, audited call takes five round trips.
 */
import { afterAll, describe, expect, it, vi } from 'vitest'
import pg from 'pg'
import { sql } from 'kysely'
import { openStateDatabase, type StateDatabase } from '../../../runtime/state/state-database.ts'
import { inlined } from '../../../runtime/state/postgres-round-trips.ts'
import { openState } from '../../../runtime/state/state.ts'
import { loadConfig } from '../../../runtime/config.ts'
import { bootstrapExamples } from '../../../runtime/server/bootstrap.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { stateBackends } from '../../helpers/state-backends.ts'

const HOSTILE = [`x'); DROP TABLE audit_heads; --`, `back\\slash ' quote " dquote`, `$1 $2 $$ dollar $tag$ quoted $tag$`, `行政处罚 ✓ \u2028 line`, `E'\\x41'`, `;\ncommit;\nselect 1`]

async function heads(database: StateDatabase): Promise<number> {
  const { n } = await database.db.selectFrom('audit_heads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(n)
}

for (const backend of stateBackends()) {
  describe(`batches and queued writes on ${backend.name}`, () => {
    afterAll(() => backend.cleanup())

    it('reads in a batch what separate statements read, in order, with the writes queued before it', async () => {
      const database = await openStateDatabase(await backend.fresh())
      try {
        const rows = await database.transaction(async (tx) => {
          await database.write(tx, tx.insertInto('quota_uses').values({ consumer: 'bank-a', month: '2026-12', used: 3 }).compile())
          await database.write(tx, tx.insertInto('quota_uses').values({ consumer: 'bank-b', month: '2026-12', used: 5 }).compile())
          return database.batch(tx, [
            { lock: 'quota:bank-a' },
            tx.selectFrom('quota_uses').select(['consumer', 'used']).where('month', '=', '2026-12').orderBy('consumer').compile(),
            tx.selectFrom('quota_uses').select('used').where('consumer', '=', 'nobody').compile(),
          ])
        })
        expect(rows).toEqual([[], [{ consumer: 'bank-a', used: 3 }, { consumer: 'bank-b', used: 5 }], []])
        // control: committed, as a plain query sees afterwards
        expect(await database.db.selectFrom('quota_uses').select('used').orderBy('consumer').execute()).toEqual([{ used: 3 }, { used: 5 }])
      } finally {
        await database.close()
      }
    })

    it('stores hostile text in a parameter as the text it is, and runs none of it', async () => {
      const database = await openStateDatabase(await backend.fresh())
      try {
        await database.transaction(async (tx) => {
          for (const [i, text] of HOSTILE.entries()) await database.write(tx, tx.insertInto('quota_uses').values({ consumer: text, month: `m${i}`, used: i }).compile())
          const [read] = await database.batch(tx, [tx.selectFrom('quota_uses').select('consumer').where('consumer', 'in', HOSTILE).orderBy('used').compile()])
          expect((read as { consumer: string }[]).map((r) => r.consumer)).toEqual(HOSTILE)
        })
        expect((await database.db.selectFrom('quota_uses').select('consumer').orderBy('used').execute()).map((r) => r.consumer)).toEqual(HOSTILE)
        // the table the first text names is still there
        expect(await heads(database)).toBe(0)
      } finally {
        await database.close()
      }
    })

    it('keeps nothing of a transaction whose later statement fails, queued writes included, and what was stored before stays', async () => {
      const database = await openStateDatabase(await backend.fresh())
      try {
        await database.transaction((tx) => database.write(tx, tx.insertInto('quota_uses').values({ consumer: 'kept', month: '2026-11', used: 1 }).compile()))
        const failing = database.transaction(async (tx) => {
          await database.write(tx, tx.insertInto('quota_uses').values({ consumer: 'lost', month: '2026-12', used: 1 }).compile())
          // the same key again: the primary key refuses it
          await database.write(tx, tx.insertInto('quota_uses').values({ consumer: 'kept', month: '2026-11', used: 2 }).compile())
        })
        await expect(failing).rejects.toThrow()
        expect(await database.db.selectFrom('quota_uses').select(['consumer', 'used']).execute()).toEqual([{ consumer: 'kept', used: 1 }])
        // a work that throws after queuing writes leaves nothing either
        await expect(
          database.transaction(async (tx) => {
            await database.write(tx, tx.insertInto('quota_uses').values({ consumer: 'lost', month: '2026-10', used: 1 }).compile())
            throw new Error('changed my mind')
          }),
        ).rejects.toThrow('changed my mind')
        expect(await database.db.selectFrom('quota_uses').select('consumer').execute()).toEqual([{ consumer: 'kept' }])
        // control: the connection serves the next transaction normally
        await database.transaction((tx) => database.write(tx, tx.insertInto('quota_uses').values({ consumer: 'next', month: '2026-12', used: 7 }).compile()))
        expect(await database.db.selectFrom('quota_uses').select('used').where('consumer', '=', 'next').executeTakeFirst()).toEqual({ used: 7 })
      } finally {
        await database.close()
      }
    })

    it('holds a batch\'s lock for the statements after it: concurrent read-increment-writes lose no update', async () => {
      const location = await backend.fresh()
      const [a, b] = [await openStateDatabase(location), await openStateDatabase(location)]
      try {
        await a.transaction((tx) => a.write(tx, tx.insertInto('quota_uses').values({ consumer: 'bank-a', month: '2026-12', used: 0 }).compile()))
        const increment = (database: StateDatabase) =>
          database.transaction(async (tx) => {
            const [, rows] = await database.batch(tx, [{ lock: 'counter' }, tx.selectFrom('quota_uses').select('used').where('consumer', '=', 'bank-a').compile()])
            const used = Number((rows![0] as { used: number }).used)
            await database.write(tx, tx.updateTable('quota_uses').set({ used: used + 1 }).where('consumer', '=', 'bank-a').compile())
          })
        await Promise.all(Array.from({ length: 24 }, (_, i) => increment(i % 2 === 0 ? a : b)))
        expect(await a.db.selectFrom('quota_uses').select('used').executeTakeFirst()).toEqual({ used: 24 })
      } finally {
        await a.close()
        await b.close()
      }
    })

    it('refuses a write outside a transaction instead of losing it', async () => {
      const database = await openStateDatabase(await backend.fresh())
      try {
        const insert = database.db.insertInto('quota_uses').values({ consumer: 'bank-a', month: '2026-12', used: 1 }).compile()
        await expect(database.write(database.db as never, insert)).rejects.toThrow(TypeError)
        expect(await database.db.selectFrom('quota_uses').selectAll().execute()).toEqual([])
        // control: inside one, it is kept
        await database.transaction((tx) => database.write(tx, insert))
        expect(await database.db.selectFrom('quota_uses').select('used').execute()).toEqual([{ used: 1 }])
      } finally {
        await database.close()
      }
    })

    it('leaves the text of a statement alone where a $1 is text, and refuses placeholders out of their order', async () => {
      const database = await openStateDatabase(await backend.fresh())
      try {
        const hostile = ' union select current_user --'
        const q = sql<{ label: string; v: string }>`select 'cost $1' as label, ${hostile} as v`.compile(database.db)
        const [rows] = await database.batch(database.db, [q])
        expect(rows).toEqual([{ label: 'cost $1', v: hostile }])
        // control: what the same statement answers with its parameter bound
        expect((await database.db.executeQuery(q)).rows).toEqual(rows)
      } finally {
        await database.close()
      }
    })
  })
}

describe('parameters inlined for the simple protocol', () => {
  const compiled = (parameters: unknown[]) => ({ sql: `select ${parameters.map((_, i) => `$${i + 1}`).join(', ')}`, parameters, query: undefined as never, queryId: undefined as never })

  it('inlines text, numbers and null as literals that their context types; $10 is one placeholder', () => {
    const ten = [`it's`, 42, null, true, 5, 6, 7, 8, 9, 10n]
    expect(inlined(compiled(ten) as never)).toBe(`select 'it''s', '42', NULL, 'true', '5', '6', '7', '8', '9', '10'`)
  })

  it('refuses what it cannot inline faithfully instead of guessing', () => {
    for (const value of [new Date(), Buffer.from('x'), ['a'], { a: 1 }, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => inlined(compiled([value, 1]) as never)).toThrow(TypeError)
    }
    expect(() => inlined({ ...compiled(['a']), sql: 'select $1, $2' } as never)).toThrow(/2 placeholders for 1 parameters/)
  })

  it('replaces placeholders only: not a $1 in quoted text, a quoted identifier, a dollar quote or a comment', () => {
    const q = (text: string, parameters: unknown[]) => inlined({ sql: text, parameters, query: undefined as never, queryId: undefined as never } as never)
    expect(q(`select 'a $1 '' $1', "col $1", $$ $1 $$, $t$ $1 $t$, E'\\' $1', $1 -- $1\n /* $1 /* $1 */ */`, ['x'])).toBe(`select 'a $1 '' $1', "col $1", $$ $1 $$, $t$ $1 $t$, E'\\' $1', 'x' -- $1\n /* $1 /* $1 */ */`)
    expect(q('select $1, $2', [`'); drop table audit_heads; --`, 'b'])).toBe(`select '''); drop table audit_heads; --', 'b'`)
  })

  it('refuses a statement whose placeholders are not $1…$n in order, or whose quoting does not end', () => {
    const q = (text: string, parameters: unknown[]) => () => inlined({ sql: text, parameters, query: undefined as never, queryId: undefined as never } as never)
    expect(q('select $2, $1', ['a', 'b'])).toThrow(/in order/)
    expect(q('select $1, $1', ['a', 'b'])).toThrow(/in order/)
    expect(q('select $1', ['a', 'b'])).toThrow(/1 placeholders for 2 parameters/)
    for (const open of [`select 'a, $1`, 'select "a, $1', 'select $$ a, $1', 'select /* a, $1']) expect(q(open, ['a'])).toThrow(/unterminated/)
  })
})

const postgres = stateBackends().find((b) => b.name === 'postgres')
describe.runIf(postgres !== undefined)('queued statements on PostgreSQL', () => {
  afterAll(() => postgres!.cleanup())

  it('sends nothing for a transaction that ends before its first statement reached the server', async () => {
    const database = await openStateDatabase(await postgres!.fresh())
    try {
      await database.warmUp()
      const sent = vi.spyOn(pg.Client.prototype, 'query')
      await database.transaction(async () => undefined)
      await expect(database.transaction(async () => Promise.reject(new Error('before any statement')))).rejects.toThrow('before any statement')
      await expect(
        database.transaction(async (tx) => {
          await database.write(tx, tx.insertInto('quota_uses').values({ consumer: 'x', month: '2026-12', used: 1 }).compile())
          throw new Error('after queuing')
        }),
      ).rejects.toThrow('after queuing')
      const messages = sent.mock.calls.length
      sent.mockRestore()
      expect(messages).toBe(0)
      // control: a transaction that writes sends begin, the write and commit in one message
      const counted = vi.spyOn(pg.Client.prototype, 'query')
      await database.transaction((tx) => database.write(tx, tx.insertInto('quota_uses').values({ consumer: 'y', month: '2026-12', used: 1 }).compile()))
      expect(counted.mock.calls.length).toBe(1)
      counted.mockRestore()
      expect(await database.db.selectFrom('quota_uses').select('consumer').execute()).toEqual([{ consumer: 'y' }])
    } finally {
      await database.close()
    }
  })

  it('times a volume-guard lookup after its lock: a newer lookup written while it waited is not moved back', async () => {
    const url = await postgres!.fresh()
    const state = await openState(url)
    const holder = new pg.Client({ connectionString: url })
    await holder.connect()
    try {
      const lookup = { consumer: 'bank-a', product: 'p', entityKey: 'e1', limit: 5, periodDays: 30 }
      expect(await state.releases.admitLookups([lookup])).toEqual([[]])
      // another replica holds the guard's lock, and writes a newer lookup of the entity before it lets go
      await holder.query('begin')
      await holder.query(`select pg_advisory_xact_lock(hashtextextended('volume:bank-a/p', 0))`)
      const waiting = state.releases.admitLookups([lookup])
      await new Promise((r) => setTimeout(r, 300))
      const newer = Date.now()
      await holder.query(`update entity_lookups set looked_up_at = $1 where consumer = 'bank-a' and product = 'p'`, [newer])
      await holder.query('commit')
      expect(await waiting).toEqual([[]])
      const { rows } = await holder.query<{ at: string }>(`select looked_up_at as at from entity_lookups where consumer = 'bank-a' and product = 'p'`)
      expect(Number(rows[0]!.at)).toBeGreaterThanOrEqual(newer)
    } finally {
      await holder.end()
      await state.close()
    }
  })
})

describe.runIf(postgres !== undefined)('round trips of a call on PostgreSQL', () => {
  let sample: SampleStore
  let server: ServerRuntime
  afterAll(async () => {
    await server?.close()
    await postgres!.cleanup()
    sample?.dispose()
  })

  it('serve a signed, audited invoke with its commit group in 4 round trips to the database, and nothing written outside it', async () => {
    sample = await createSampleStore(2000, 'round-trips')
    const config = loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'round trips test passphrase', INDOMAIN_RATE_LIMIT: '100000', INDOMAIN_DATABASE_URL: await postgres!.fresh() })
    const { apiKey } = await bootstrapExamples(config, sample.catalog, 'products')
    server = await createServerRuntime(config)
    await server.warm()
    const [uscc] = (await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`)).map((r) => String(r.uscc))
    const invoke = () => server.app.inject({ method: 'POST', url: '/v1/products/enterprise-credit-score/invoke', headers: { authorization: `Bearer ${apiKey}` }, payload: { input: { uscc } } })
    // the first call reads the product and the scenario (reused for a second) and looks the entity up for the first time
    expect((await invoke()).statusCode).toBe(200)
    const sent = vi.spyOn(pg.Client.prototype, 'query')
    const answer = await invoke()
    const texts = sent.mock.calls.map(([text]) => (typeof text === 'string' ? text : String((text as { text?: string }).text)))
    sent.mockRestore()
    expect(answer.statusCode).toBe(200)
    // the commit group, from the message that begins it to the one that commits it: begin with the
    // standing; the volume guard's lock with its lookups; the queued ledger and lookup writes with
    // the trail's lock and tail; the trail's writes with the commit (it was 11 messages)
    const begins = texts.findIndex((t) => /^begin\b/.test(t))
    const commits = texts.findIndex((t) => /\bcommit$/.test(t))
    expect(begins).toBeGreaterThanOrEqual(0)
    expect(commits - begins + 1).toBe(4)
    // before it, the call's own reads (the API key; the product and scenario again only if a
    // second passed on a busy machine) and no write: nothing is written outside the group
    const before = texts.slice(0, begins)
    expect(before.length).toBeGreaterThanOrEqual(1)
    expect(before.length).toBeLessThanOrEqual(3)
    for (const t of before) expect(t).toMatch(/^select /)
    expect(texts.length).toBe(commits + 1)
    // control: what the call returned is in the ledger and the trail, under a signed head
    const { releaseId } = answer.json() as { releaseId: string }
    const state = await openState(config.stateDatabase)
    try {
      expect((await state.releases.get(releaseId)).status).toBe('released')
      const [entry] = (await server.audit.read({ action: 'release.signed', involving: releaseId, limit: 10 })).entries
      expect(entry!.detail).toMatchObject({ release: releaseId })
      expect((await server.audit.head())!.seq).toBeGreaterThanOrEqual(entry!.seq)
    } finally {
      await state.close()
    }
  }, 180_000)
})
