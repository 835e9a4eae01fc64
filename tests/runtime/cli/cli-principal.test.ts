/**
 * The command line is a front door with the HTTP API's checks: a state-changing command acts as
 * the holder of a verified platform token, so one person cannot approve a release twice as two
 * operators, a typed name is not an identity, and refused credentials are audited — while
 * read-only commands work beside the state without a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, type RuntimeConfig } from '../../../runtime/config.ts'
import { openKeyStore } from '../../../runtime/release/key-store.ts'
import { issuePlatformToken } from '../../../runtime/server/platform-tokens.ts'
import { openState } from '../../../runtime/state/state.ts'
import { auditEntries } from '../../helpers/audit-trail.ts'
import { BIN } from '../../helpers/serve-process.ts'

let dir: string
let env: NodeJS.ProcessEnv
let config: RuntimeConfig
const tokens: Record<string, string> = {}

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
const issue = (role: string, subject: string) => {
  const r = cli('token', 'issue', '--role', role, '--subject', subject)
  expect(r.code, r.err).toBe(0)
  return r.out.trim()
}

async function queueRelease(releaseId: string): Promise<void> {
  const state = await openState(config.stateDatabase)
  await state.releases.record({
    releaseId,
    consumer: 'bank-hf',
    product: 'enterprise-social-insurance-capacity',
    version: '1.0.0',
    codeHash: 'c'.repeat(64),
    ttlSeconds: 3600,
    partner: 'credit-lab',
    scenario: 'scn-1',
    kind: 'report',
    status: 'pending',
    requestHash: 'r'.repeat(64),
    resultHash: 'h'.repeat(64),
    reasons: [],
    report: { passed: ['MIN_COUNT'] },
    reviewersNeeded: 2,
    priceFen: 0,
    result: { districts: [{ district: '蜀山区', enterprises: 120 }] },
  })
  await state.close()
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-cli-principal-'))
  env = { ...process.env, INDOMAIN_DATA_DIR: dir, INDOMAIN_KEY_PASSPHRASE: 'cli principal test passphrase' }
  delete env.INDOMAIN_TOKEN
  config = loadConfig(env)
  tokens.zhang = issue('operator', 'op-zhang')
  tokens.li = issue('operator', 'op-li')
  tokens.auditor = issue('auditor', 'audit-wu')
  await queueRelease('rel-cli-1')
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('state-changing commands on the command line', () => {
  it('refuse without a token, and a typed operator name is not an option any more', () => {
    const none = cli('review', 'approve', 'rel-cli-1')
    expect(none.code).toBe(1)
    expect(none.err).toContain('ERR_AUTH_REQUIRED')
    const named = cli('review', 'approve', 'rel-cli-1', '--operator', 'op-zhang')
    expect(named.code).toBe(1)
    expect(named.err).toContain('--operator')
  })

  it('one operator cannot approve twice, with the same token or by another name; a second operator\'s token signs it', async () => {
    const first = cli('review', 'approve', 'rel-cli-1', '--token', tokens.zhang!)
    expect(first.code, first.err).toBe(0)
    expect(first.out).toContain('waiting for another reviewer')
    const again = cli('review', 'approve', 'rel-cli-1', '--token', tokens.zhang!)
    expect(again.code).toBe(1)
    expect(again.err).toContain('ERR_CONFLICT')
    const state = await openState(config.stateDatabase)
    expect((await state.releases.get('rel-cli-1')).decisions.map((d) => d.operator)).toEqual(['op-zhang'])
    await state.close()
    // positive control: the second operator, with a token of her own
    const second = cli('review', 'approve', 'rel-cli-1', '--token', tokens.li!)
    expect(second.code, second.err).toBe(0)
    expect(second.out).toContain('rel-cli-1 released')
    const trail = auditEntries(config.stateDatabase)
    expect(trail.filter((e) => e.action === 'review.approved' && e.subject === 'rel-cli-1').map((e) => e.actor)).toEqual(['op-zhang', 'op-li'])
  })

  it('refuses a forged token, and records the failed login', async () => {
    const forger = openKeyStore(join(dir, 'forger.json'), 'the forger passphrase', 'production').active()
    const forged = issuePlatformToken(forger, { role: 'operator', id: 'op-wang', ttlSeconds: 3600 })
    await queueRelease('rel-cli-2')
    const r = cli('review', 'approve', 'rel-cli-2', '--token', forged)
    expect(r.code).toBe(1)
    expect(r.err).toContain('ERR_AUTH_REQUIRED')
    expect(auditEntries(config.stateDatabase).some((e) => e.action === 'auth.failed' && e.subject === 'cli' && e.detail?.reason === 'INVALID_TOKEN')).toBe(true)
  })

  it('refuses another role (audited), and a suspended operator\'s token', async () => {
    const auditor = cli('review', 'approve', 'rel-cli-2', '--token', tokens.auditor!)
    expect(auditor.code).toBe(1)
    expect(auditor.err).toContain('ERR_FORBIDDEN')
    expect(auditEntries(config.stateDatabase).some((e) => e.action === 'authz.denied' && e.actor === 'audit-wu')).toBe(true)
    const state = await openState(config.stateDatabase)
    await state.principals.setStatus('operator', 'op-li', 'suspended')
    await state.close()
    const suspended = cli('review', 'approve', 'rel-cli-2', '--token', tokens.li!)
    expect(suspended.code).toBe(1)
    expect(suspended.err).toContain('ERR_AUTH_REQUIRED')
    // the token in the environment works like --token
    const fromEnv = spawnSync(process.execPath, [BIN, 'review', 'approve', 'rel-cli-2'], { encoding: 'utf8', env: { ...env, INDOMAIN_TOKEN: tokens.zhang } })
    expect(fromEnv.status, fromEnv.stderr).toBe(0)
  })

  it('a scenario decision from the command line is the same governance action, with the same entry, as over HTTP', () => {
    const requested = cli('scenario', 'request', '--product', 'products/enterprise-credit-score', '--partner', 'credit-lab', '--token', tokens.zhang!)
    expect(requested.code, requested.err).toBe(0)
    const id = requested.out.trim()
    const approved = cli('scenario', 'approve', id, '--expires', '2099-01-01', '--defaults', '--token', tokens.zhang!)
    expect(approved.code, approved.err).toBe(0)
    const entry = auditEntries(config.stateDatabase).find((e) => e.subject === id && e.action === 'scenario.approved')
    expect(entry?.actor).toBe('op-zhang')
    // the detail the operator route writes (runtime/governance), not a shape of the CLI's own
    expect(Object.keys(entry?.detail ?? {}).sort()).toEqual(['approvedFields', 'deniedFields', 'expiresOn', 'keys', 'release', 'revision'])
    expect(auditEntries(config.stateDatabase).find((e) => e.subject === id && e.action === 'scenario.requested')?.detail).toMatchObject({ partner: 'credit-lab' })
  })

  it('the operator sets a table\'s key field on the command line (--key); a field that cannot be a key is refused and the scenario stays as decided', () => {
    const id = cli('scenario', 'request', '--product', 'products/enterprise-credit-score', '--partner', 'credit-lab', '--token', tokens.zhang!).out.trim()
    const refused = cli('scenario', 'approve', id, '--expires', '2099-01-01', '--defaults', '--key', 'enterprise_basic=registered_capital', '--token', tokens.zhang!)
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('ERR_SCENARIO_INVALID')
    expect(cli('scenario', 'show', id, '--json').out).toContain('"status": "pending"')
    const approved = cli('scenario', 'approve', id, '--expires', '2099-01-01', '--defaults', '--key', 'enterprise_basic=uscc', '--token', tokens.zhang!)
    expect(approved.code, approved.err).toBe(0)
    expect(JSON.parse(cli('scenario', 'show', id, '--json').out).keys).toMatchObject({ enterprise_basic: 'uscc' })
    expect(cli('scenario', 'show', id).out).toMatch(/keys \(查询键\): .*enterprise_basic\.uscc/)
  })

  it('read-only commands need no token', () => {
    const list = cli('review', 'list', '--all')
    expect(list.code, list.err).toBe(0)
    expect(list.out).toContain('rel-cli-1')
    expect(cli('audit', 'verify').code).toBe(0)
  })
})
