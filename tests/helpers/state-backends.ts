/**
 * The state backends a test runs against: the embedded file always, and PostgreSQL when
 * INDOMAIN_TEST_DATABASE_URL names one (`.ci/run` starts PostgreSQL 15 and sets it, with
 * INDOMAIN_REQUIRE_POSTGRES=1 so that a missing server fails instead of skipping). Each call of
 * `fresh()` gives an empty database of its own: a temporary file, or a new PostgreSQL database
 * dropped by `cleanup()`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export type StateBackend = {
  readonly name: 'sqlite' | 'postgres'
  /** A new, empty state location (a file path or a postgres:// URL). */
  fresh(): Promise<string>
  /** Removes every location `fresh` made. */
  cleanup(): Promise<void>
}

export const TEST_DATABASE_URL = process.env.INDOMAIN_TEST_DATABASE_URL

if (TEST_DATABASE_URL === undefined && process.env.INDOMAIN_REQUIRE_POSTGRES === '1') {
  throw new Error('INDOMAIN_REQUIRE_POSTGRES=1 but INDOMAIN_TEST_DATABASE_URL is not set: run .ci/postgres')
}

function sqliteBackend(): StateBackend {
  const dirs: string[] = []
  return {
    name: 'sqlite',
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'indomain-state-'))
      dirs.push(dir)
      return join(dir, 'state.sqlite')
    },
    async cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
    },
  }
}

function postgresBackend(url: string): StateBackend {
  const made: string[] = []
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return await work(client)
    } finally {
      await client.end()
    }
  }
  return {
    name: 'postgres',
    async fresh() {
      const name = `indomain_test_${randomBytes(6).toString('hex')}`
      await admin((c) => c.query(`CREATE DATABASE ${name}`))
      made.push(name)
      const u = new URL(url)
      u.pathname = `/${name}`
      return u.toString()
    },
    async cleanup() {
      const names = made.splice(0)
      // a session of another role (an autovacuum worker) may hold the database a moment: try again
      for (const name of names) {
        for (let attempt = 1; ; attempt++) {
          try {
            await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
            break
          } catch (error) {
            if (attempt === 5) throw error
            await new Promise((r) => setTimeout(r, 500 * attempt))
          }
        }
      }
    },
  }
}

/** Every backend available here: the embedded one, and PostgreSQL when configured. */
export function stateBackends(): StateBackend[] {
  return [sqliteBackend(), ...(TEST_DATABASE_URL === undefined ? [] : [postgresBackend(TEST_DATABASE_URL)])]
}
