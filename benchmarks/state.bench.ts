/**
 * The ledger's and the audit trail's cost per call on each state backend, against the backend's
 * own floor measured in the same run: one single-row insert committed on its own, written with
 * the driver directly (node:sqlite's prepared statement; one `pg` query in a transaction).
 * - `state.write_us.<backend>`: µs per recorded release (`releases.record`: the row and its reason
 *   codes, one transaction), 10 calls in flight as on a busy server.
 * - `audit.append_us.<backend>`: µs per audit entry with 10 appenders in flight (group commit: a
 *   batch is chained under the trail's lock, inserted with a signed head, committed once).
 * PostgreSQL figures need INDOMAIN_BENCH_DATABASE_URL (or INDOMAIN_TEST_DATABASE_URL): a server
 * where the role may create databases; each run makes a database of its own and drops it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { DatabaseSync } from 'node:sqlite'
import pg from 'pg'
import { openAuditTrail } from '../runtime/audit/index.ts'
import { openKeyStore } from '../runtime/release/key-store.ts'
import type { NewRelease } from '../runtime/release/release-store.ts'
import { openState } from '../runtime/state/state.ts'
import type { Benchmark } from './harness.ts'
import { round, shared } from './measure.ts'

const CALLS = 4000
const IN_FLIGHT = 10
const POSTGRES_URL = process.env.INDOMAIN_BENCH_DATABASE_URL ?? process.env.INDOMAIN_TEST_DATABASE_URL

type Backend = { readonly name: 'sqlite' | 'postgres'; create(): Promise<{ location: string; floorUs(): Promise<number>; dispose(): Promise<void> }> }

function release(i: number): NewRelease {
  return {
    consumer: `bank-${i % 7}`,
    product: 'enterprise-credit-score',
    version: '1.0.0',
    codeHash: 'c'.repeat(64),
    ttlSeconds: 3600,
    partner: 'credit-lab',
    scenario: 'scn-bench',
    kind: 'api',
    status: 'released',
    requestHash: randomBytes(32).toString('hex'),
    resultHash: randomBytes(32).toString('hex'),
    reasons: [],
    report: { passed: ['DIRECT_IDENTIFIER', 'KEY_IN_OUTPUT', 'PERSONAL_VALUE'], bytes: 120 },
    reviewersNeeded: 0,
    priceFen: 50,
    token: `eyJ${randomBytes(300).toString('base64url')}`,
  }
}

/** µs per call of `work`, `IN_FLIGHT` at a time, after a warm-up. */
async function perCall(work: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await work(-i - 1)
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < CALLS) await work(next++)
    }),
  )
  return ((performance.now() - started) * 1000) / CALLS
}

const sqlite: Backend = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-state-'))
    return {
      location: join(dir, 'state.sqlite'),
      async floorUs() {
        const db = new DatabaseSync(join(dir, 'floor.sqlite'))
        db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL)')
        const insert = db.prepare('INSERT INTO t VALUES (?, ?)')
        const body = 'x'.repeat(600)
        const us = await perCall(async (i) => {
          db.exec('BEGIN IMMEDIATE')
          insert.run(`row-${i}`, body)
          db.exec('COMMIT')
        })
        db.close()
        return us
      },
      async dispose() {
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
}

const postgres = (url: string): Backend => ({
  name: 'postgres',
  async create() {
    const name = `indomain_bench_${randomBytes(5).toString('hex')}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const u = new URL(url)
    u.pathname = `/${name}`
    return {
      location: u.toString(),
      async floorUs() {
        const pool = new pg.Pool({ connectionString: u.toString(), max: 10 })
        await pool.query('CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL)')
        const body = 'x'.repeat(600)
        const us = await perCall(async (i) => {
          const c = await pool.connect()
          try {
            await c.query('BEGIN')
            await c.query('INSERT INTO t VALUES ($1, $2)', [`row-${i}`, body])
            await c.query('COMMIT')
          } finally {
            c.release()
          }
        })
        await pool.end()
        return us
      },
      async dispose() {
        const a = new pg.Client({ connectionString: url })
        await a.connect()
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await a.end()
      },
    }
  },
})

const measure = (backend: Backend) =>
  shared(async () => {
    const made = await backend.create()
    const keysDir = mkdtempSync(join(tmpdir(), 'indomain-bench-keys-'))
    try {
      const floor = await made.floorUs()
      const state = await openState(made.location)
      const write = await perCall((i) => state.releases.record(release(i)))
      const trail = openAuditTrail(state.database, { key: openKeyStore(join(keysDir, 'keys.json'), 'benchmark passphrase', 'production').active() })
      const append = await perCall((i) => trail.append({ actor: `bank-${i % 7}`, action: 'release.signed', subject: 'enterprise-credit-score@1.0.0', detail: { release: `rel-${i}`, scenario: 'scn-bench', priceFen: 50 } }))
      await trail.close()
      await state.close()
      return { floor, write, append }
    } finally {
      await made.dispose()
      rmSync(keysDir, { recursive: true, force: true })
    }
  })

function benchmarksOf(backend: Backend): Benchmark[] {
  const figures = measure(backend)
  return [
    {
      id: `state.write_us.${backend.name}`,
      title: `µs per recorded release on ${backend.name} (10 in flight; baseline: one single-row insert committed with the driver alone)`,
      async run() {
        const f = await figures()
        return { value: round(f.write, 1), unit: 'us', baseline: round(f.floor, 1), ratio: round(f.write / f.floor), goal: null }
      },
    },
    {
      id: `audit.append_us.${backend.name}`,
      title: `µs per audit entry on ${backend.name} (10 appenders in flight, group commit with a signed head; baseline: the same single-row insert)`,
      async run() {
        const f = await figures()
        return { value: round(f.append, 1), unit: 'us', baseline: round(f.floor, 1), ratio: round(f.append / f.floor), goal: null }
      },
    },
  ]
}

export const benchmarks: readonly Benchmark[] = [...benchmarksOf(sqlite), ...(POSTGRES_URL === undefined ? [] : benchmarksOf(postgres(POSTGRES_URL)))]
