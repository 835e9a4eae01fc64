import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, isLockDownViolation, type Store } from '../../../runtime/store/index.ts'
import { RuntimeError } from '../../../runtime/errors.ts'

describe('the store is locked down', () => {
  let dir: string
  let store: Store
  let allowed: string
  let other: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'indomain-lock-'))
    allowed = join(dir, 'delivery.csv')
    other = join(dir, 'secret.csv')
    writeFileSync(allowed, 'a,b\n1,2\n')
    writeFileSync(other, 'password\nhunter2\n')
    store = await openStore(join(dir, 'store.duckdb'), { access: 'read-write', create: true, allowedPaths: [allowed] })
    await store.connection.run('CREATE TABLE t (x INTEGER)')
  })
  afterAll(() => {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const attacks: [string, () => string][] = [
    ['read a system file', () => `SELECT * FROM read_csv('/etc/passwd')`],
    ['read a neighbouring file', () => `SELECT * FROM read_csv('${other}')`],
    ['read text', () => `SELECT * FROM read_text('/etc/hostname')`],
    ['read parquet', () => `SELECT * FROM read_parquet('${join(dir, 'x.parquet')}')`],
    ['list files', () => `SELECT * FROM glob('/etc/*')`],
    ['copy out', () => `COPY t TO '${join(dir, 'out.csv')}'`],
    ['copy in', () => `COPY t FROM '${other}'`],
    ['export the database', () => `EXPORT DATABASE '${join(dir, 'export')}'`],
    ['attach another database', () => `ATTACH '${join(dir, 'other.duckdb')}' AS o`],
    ['install an extension', () => `INSTALL httpfs`],
    ['load an extension', () => `LOAD httpfs`],
    ['re-enable external access', () => `SET enable_external_access = true`],
    ['unlock the configuration', () => `SET lock_configuration = false`],
    ['reset a setting', () => `RESET enable_external_access`],
    ['widen the allowed paths', () => `SET allowed_paths = ['/etc/passwd']`],
    ['change memory', () => `SET memory_limit = '100GB'`],
    ['change threads by pragma', () => `PRAGMA threads = 64`],
  ]

  for (const [name, sql] of attacks) {
    it(`refuses to ${name}`, async () => {
      const error = await store.connection.run(sql()).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error, sql()).toBeInstanceOf(Error)
      expect(isLockDownViolation(error), String(error)).toBe(true)
    })
  }

  it('wrote nothing outside the store', () => {
    expect(existsSync(join(dir, 'out.csv'))).toBe(false)
    expect(existsSync(join(dir, 'export'))).toBe(false)
    expect(existsSync(join(dir, 'other.duckdb'))).toBe(false)
  })

  it('reads exactly the one file it was opened for, and reports itself locked', async () => {
    const rows = await store.connection.runAndReadAll(`SELECT * FROM read_csv('${allowed}')`)
    expect(rows.getRowsJS()).toEqual([[1n, 2n]])
    const settings = await store.connection.runAndReadAll(
      `SELECT current_setting('enable_external_access'), current_setting('lock_configuration')`,
    )
    expect(settings.getRowsJS()).toEqual([[false, true]])
  })

  it('keeps the lock on further connections', async () => {
    const second = await store.connect()
    await expect(second.run(`SELECT * FROM read_csv('/etc/passwd')`)).rejects.toThrow(/Permission|disabled/)
  })

  it('fails with ERR_STORE_MISSING rather than creating a store by accident', async () => {
    await expect(openStore(join(dir, 'nope.duckdb'), { access: 'read-only' })).rejects.toMatchObject({
      code: 'ERR_STORE_MISSING',
    } satisfies Partial<RuntimeError>)
    expect(existsSync(join(dir, 'nope.duckdb'))).toBe(false)
  })
})
