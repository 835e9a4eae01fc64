/**
 * The anchored audit head: a head the installation published and signed, kept by a witness,
 * proves later that the trail still extends it. Truncation, a rewritten tail (re-chained so that
 * the chain alone verifies) and stripped checkpoints (renumbered and re-hashed) each fail
 * `indomain audit verify --head`; the untouched trail, and a trail that only grew, pass. Archiving
 * a retired key keeps its checkpoints and heads verifiable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, type RuntimeConfig } from '../../../runtime/config.ts'
import { entryHash, openAuditTrail, type AuditEntry } from '../../../runtime/audit/index.ts'
import { openKeys } from '../../../runtime/release/open-keys.ts'
import { openKeyStore } from '../../../runtime/release/key-store.ts'
import { signHead } from '../../../runtime/audit/audit-head.ts'
import { openState } from '../../../runtime/state/state.ts'
import { auditEntries, tamperState } from '../../helpers/audit-trail.ts'
import { BIN } from '../../helpers/serve-process.ts'

let dir: string
let env: NodeJS.ProcessEnv
let config: RuntimeConfig

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
const verdictOf = (...args: string[]) => {
  const r = cli('audit', 'verify', ...args)
  return { code: r.code, verdict: JSON.parse(r.out) as { ok: boolean; problem?: string; seq?: number } }
}

/** Appends `n` events (and, every 5, a checkpoint) through the trail as a server would. */
async function append(n: number, from = 0): Promise<void> {
  const state = await openState(config.stateDatabase)
  const trail = openAuditTrail(state.database, { key: openKeys(config, 'production').active(), checkpointEvery: 5 })
  for (let i = 0; i < n; i++) await trail.append({ actor: 'bank-a', action: 'release.signed', subject: 'enterprise-credit-score@1.0.0', detail: { release: `rel-${from + i}` } })
  await trail.close()
  await state.close()
}

/** The head the installation publishes now (what a witness keeps). */
function publishedHead(): string {
  const r = cli('audit', 'head')
  expect(r.code, r.err).toBe(0)
  return r.out.trim()
}

/** Replaces the trail with `entries` re-chained from the first: the chain alone verifies again. */
function rewriteTrail(entries: readonly AuditEntry[]): void {
  tamperState(config.stateDatabase, 'DELETE FROM audit_entries')
  let prev = '0'.repeat(64)
  entries.forEach((e, i) => {
    const { hash: _, ...rest } = e
    const base = { ...rest, seq: i + 1, prev }
    const entry = { ...base, hash: entryHash(base) }
    prev = entry.hash
    tamperState(config.stateDatabase, 'INSERT INTO audit_entries (seq, at, actor, action, subject, entry) VALUES (?, ?, ?, ?, ?, ?)', entry.seq, entry.at, entry.actor, entry.action, entry.subject, JSON.stringify(entry))
  })
}

let original: AuditEntry[]
let head: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-audit-head-'))
  env = { ...process.env, INDOMAIN_DATA_DIR: dir, INDOMAIN_KEY_PASSPHRASE: 'audit head test passphrase' }
  config = loadConfig(env)
  await append(12)
  head = publishedHead()
  original = auditEntries(config.stateDatabase)
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Puts the original trail back, and the head log as it was then. */
const restore = () => {
  rewriteTrail(original)
  tamperState(config.stateDatabase, 'DELETE FROM audit_heads WHERE seq > ?', original.length)
}

describe('audit verify --head', () => {
  it('passes on the untouched trail, and on one that only grew since the head', async () => {
    expect(verdictOf('--head', head)).toMatchObject({ code: 0, verdict: { ok: true } })
    await append(3, 100)
    expect(verdictOf('--head', head)).toMatchObject({ code: 0, verdict: { ok: true } })
    restore()
  })

  it('fails a truncated trail (TRUNCATED), which the chain alone accepts', async () => {
    const seq = JSON.parse(head).seq as number
    tamperState(config.stateDatabase, 'DELETE FROM audit_entries WHERE seq > ?', seq - 3)
    expect(verdictOf()).toMatchObject({ code: 0, verdict: { ok: true } })
    expect(verdictOf('--head', head)).toMatchObject({ code: 1, verdict: { ok: false, problem: 'TRUNCATED' } })
    // and the installation fails closed: nothing more is chained onto a trail cut below its head log
    await expect(append(1, 200)).rejects.toMatchObject({ code: 'ERR_AUDIT_INTEGRITY' })
    restore()
    await append(1, 300)
    expect(verdictOf('--head', head)).toMatchObject({ code: 0, verdict: { ok: true } })
    restore()
  })

  it('fails a tail rewritten and re-chained (HEAD_MISMATCH), which the chain alone accepts', () => {
    // after the last checkpoint: the last event edited, the closing checkpoint replaced by an event
    const [last, closing] = original.slice(-2)
    expect(closing!.action).toBe('audit.checkpoint')
    rewriteTrail([...original.slice(0, -2), { ...last!, detail: { release: 'rel-forged' } }, { ...last!, action: 'release.refused' }])
    expect(verdictOf()).toMatchObject({ code: 0, verdict: { ok: true } })
    expect(verdictOf('--head', head)).toMatchObject({ code: 1, verdict: { ok: false, problem: 'HEAD_MISMATCH' } })
    restore()
  })

  it('fails a trail stripped of its checkpoints, renumbered and re-hashed', () => {
    rewriteTrail(original.filter((e) => e.action !== 'audit.checkpoint'))
    expect(verdictOf()).toMatchObject({ code: 0, verdict: { ok: true } })
    expect(verdictOf('--head', head).verdict).toMatchObject({ ok: false, problem: expect.stringMatching(/^(HEAD_MISMATCH|TRUNCATED)$/) })
    restore()
  })

  it('refuses a head it did not sign, or one altered after signing (HEAD_INVALID)', () => {
    const foreign = openKeyStore(join(dir, 'other-keys.json'), 'another passphrase here', 'production').active()
    const parsed = JSON.parse(head) as { seq: number; hash: string; at: string }
    const forged = signHead({ seq: parsed.seq, hash: parsed.hash, at: parsed.at }, foreign)
    expect(verdictOf('--head', JSON.stringify(forged)).verdict).toMatchObject({ ok: false, problem: 'HEAD_INVALID' })
    const [h, , s] = (JSON.parse(head) as { signature: string }).signature.split('.')
    const altered = `${h}.${Buffer.from(JSON.stringify({ ...parsed, seq: 2 })).toString('base64url')}.${s}`
    expect(verdictOf('--head', altered).verdict).toMatchObject({ ok: false, problem: 'HEAD_INVALID' })
    // positive control: the head itself, given as a file
    writeFileSync(join(dir, 'head.json'), head)
    expect(verdictOf('--head', join(dir, 'head.json')).verdict).toMatchObject({ ok: true })
  })

  it('verifies an export offline against the head, and names the edited entry in a tampered export', () => {
    const out = join(dir, 'trail.jsonl')
    expect(cli('audit', 'export', '--out', out).code).toBe(0)
    expect(verdictOf('--file', out, '--head', head)).toMatchObject({ code: 0, verdict: { ok: true } })
    tamperState(config.stateDatabase, `UPDATE audit_entries SET entry = replace(entry, '"rel-3"', '"rel-33"')`)
    expect(cli('audit', 'export', '--out', out).code).toBe(0)
    expect(verdictOf('--file', out, '--head', head).verdict).toMatchObject({ ok: false, problem: 'ENTRY_CHANGED', seq: 4 })
    restore()
  })

  it('keeps verifying after the key that signed it is rotated and archived (an audited step)', () => {
    const old = openKeys(config, 'production').active().kid
    const operator = cli('token', 'issue', '--role', 'operator', '--subject', 'op-zhang').out.trim()
    const rotated = cli('keys', 'rotate', '--token', operator)
    expect(rotated.code, rotated.err).toBe(0)
    const archived = cli('keys', 'archive', old, '--token', operator)
    expect(archived.code, archived.err).toBe(0)
    expect(verdictOf('--head', head)).toMatchObject({ code: 0, verdict: { ok: true } })
    expect(auditEntries(config.stateDatabase).some((e) => e.action === 'keys.archived' && e.subject === old)).toBe(true)
    // the published JWKS no longer has it; the installation's verification set does
    expect(JSON.parse(cli('keys', 'jwks').out).keys.map((k: { kid: string }) => k.kid)).not.toContain(old)
  })
})
