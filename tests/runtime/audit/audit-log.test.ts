import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { hostname } from 'node:os'
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openAuditLog, entryHash, type AuditEntry } from '../../../runtime/audit/audit-log.ts'
import { verifyAuditFile } from '../../../runtime/audit/verify-audit.ts'
import { openKeyStore, type KeyStore } from '../../../runtime/release/key-store.ts'

// the lock names the host and its pid namespace, as the log does
const HOST = `${hostname()}/${readlinkSync('/proc/self/ns/pid')}`
const APPENDER = new URL('../../fixtures/scripts/audit-appender.ts', import.meta.url).pathname
let dir: string
let keys: KeyStore
let file: string

async function writeLog(n: number, checkpointEvery = 1000): Promise<void> {
  const log = openAuditLog({ path: file, key: keys.active(), checkpointEvery })
  await Promise.all(Array.from({ length: n }, (_, i) => log.append({ actor: `op-${i % 3}`, action: 'scenario.approved', subject: `scn-${i}`, detail: { fields: i } })))
  await log.close()
}

const lines = () => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '')
const save = (list: string[]) => writeFileSync(file, `${list.join('\n')}\n`)

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-audit-'))
  keys = openKeyStore(join(dir, 'keys.json'), 'audit test passphrase', 'production')
  file = join(dir, 'audit.jsonl')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('the audit trail', () => {
  it('chains entries, group-commits them, signs checkpoints, and verifies', async () => {
    await writeLog(25, 10)
    const verdict = verifyAuditFile(file, keys.jwks())
    expect(verdict).toMatchObject({ ok: true, entries: 25 + 3, checkpoints: 3 })
    const entries = lines().map((l) => JSON.parse(l) as AuditEntry)
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 28 }, (_, i) => i + 1))
    expect(entries[1]!.prev).toBe(entries[0]!.hash)
  })

  it('lets two writers append to one file in turns (a server and a command), the chain unbroken', async () => {
    const server = openAuditLog({ path: file, key: keys.active() })
    const command = openAuditLog({ path: file, key: keys.active() })
    await server.append({ actor: 'bank-a', action: 'release.signed', subject: 'p@1' })
    await command.append({ actor: 'cli', action: 'token.issued', subject: 'operator:op-1' })
    await Promise.all([server.append({ actor: 'bank-a', action: 'release.signed', subject: 'p@1' }), server.append({ actor: 'bank-b', action: 'release.signed', subject: 'p@1' })])
    await command.close()
    await server.append({ actor: 'bank-a', action: 'release.signed', subject: 'p@1' })
    await server.close()
    expect(verifyAuditFile(file, keys.jwks())).toMatchObject({ ok: true, entries: 7, checkpoints: 2 })
    expect(lines().map((l) => (JSON.parse(l) as AuditEntry).actor)).toEqual(['bank-a', 'cli', 'bank-a', 'bank-b', 'system', 'bank-a', 'system'])
  })

  it('takes over a lock left by a dead process, and never one of another host', async () => {
    writeFileSync(`${file}.lock`, `${HOST}\t999999\tdead`)
    await writeLog(2)
    expect(verifyAuditFile(file, keys.jwks())).toMatchObject({ ok: true })
    writeFileSync(`${file}.lock`, `another-host\t999999\tlive`)
    await expect(writeLog(1)).rejects.toThrow(/locked by another-host/)
  }, 20_000)

  it('waits, within its deadline, on a lock it cannot read (never spins forever)', async () => {
    mkdirSync(`${file}.lock`)
    await expect(writeLog(1)).rejects.toThrow(/cannot be read/)
  }, 20_000)

  it('keeps one chain when many processes append at once over a dead writer\'s lock', async () => {
    // the writers sign their checkpoints with the platform key on file
    keys.active()
    for (let round = 0; round < 3; round++) {
      writeFileSync(`${file}.lock`, `${HOST}\t999999\tdead-${round}`)
      const writers = Array.from({ length: 6 }, () =>
        new Promise<number | null>((resolve) => spawn(process.execPath, [APPENDER, file, join(dir, 'keys.json'), '5'], { stdio: 'ignore' }).once('exit', resolve)),
      )
      expect(await Promise.all(writers)).toEqual([0, 0, 0, 0, 0, 0])
    }
    const verdict = verifyAuditFile(file, keys.jwks())
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true })
    expect(lines().filter((l) => l.includes('"action":"catalog.built"'))).toHaveLength(3 * 6 * 5)
  }, 60_000)

  it('continues the chain when reopened', async () => {
    await writeLog(5)
    await writeLog(5)
    expect(verifyAuditFile(file, keys.jwks())).toMatchObject({ ok: true, entries: 12 })
  })

  it('names a changed entry', async () => {
    await writeLog(10)
    const list = lines()
    list[4] = list[4]!.replace('"op-1"', '"op-9"')
    save(list)
    expect(verifyAuditFile(file, keys.jwks())).toMatchObject({ ok: false, problem: 'ENTRY_CHANGED', line: 5, seq: 5 })
  })

  it('names a changed entry even when its hash was recomputed (the next link breaks)', async () => {
    await writeLog(10)
    const list = lines()
    const entry = JSON.parse(list[3]!) as AuditEntry
    const { hash: _, ...rest } = { ...entry, actor: 'intruder' }
    list[3] = JSON.stringify({ ...rest, hash: entryHash(rest) })
    save(list)
    expect(verifyAuditFile(file, keys.jwks())).toMatchObject({ ok: false, problem: 'CHAIN_BROKEN', line: 5, seq: 5 })
  })

  it('names a removed, an inserted and a reordered entry', async () => {
    await writeLog(10)
    const original = lines()
    save([...original.slice(0, 3), ...original.slice(4)])
    expect(verifyAuditFile(file, keys.jwks())).toMatchObject({ ok: false, problem: 'ENTRY_REMOVED', line: 4, seq: 5 })
    save([...original.slice(0, 3), original[2]!, ...original.slice(3)])
    expect(verifyAuditFile(file, keys.jwks())).toMatchObject({ ok: false, problem: 'ENTRY_INSERTED', line: 4, seq: 3 })
    save([original[0]!, original[2]!, original[1]!, ...original.slice(3)])
    expect(verifyAuditFile(file, keys.jwks())).toMatchObject({ ok: false, problem: 'ENTRIES_REORDERED', line: 2, seq: 3 })
    save([original[0]!, original[1]!, original[3]!, original[2]!, ...original.slice(4)])
    expect(verifyAuditFile(file, keys.jwks())).toMatchObject({ ok: false, problem: 'ENTRIES_REORDERED', line: 3, seq: 4 })
  })

  it('refuses a checkpoint signed by another key, and reports a torn last line', async () => {
    await writeLog(4)
    const other = openKeyStore(join(dir, 'other.json'), 'another passphrase!', 'production')
    expect(verifyAuditFile(file, other.jwks())).toMatchObject({ ok: false, problem: 'CHECKPOINT_INVALID', line: 5 })
    appendFileSync(file, '{"seq":6,"at":"2026-')
    expect(verifyAuditFile(file, keys.jwks())).toMatchObject({ ok: false, problem: 'TORN_LAST_LINE', line: 6, entries: 5 })
  })

  it('resolves an append only after the entry is on disk', async () => {
    const log = openAuditLog({ path: file, key: keys.active() })
    const entry = await log.append({ actor: 'op', action: 'release.signed', subject: 'rel-1' })
    expect(readFileSync(file, 'utf8')).toContain(entry.hash)
    await log.close()
  })
})
