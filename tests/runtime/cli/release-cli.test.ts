/**
 * The first product's life on the command line: a scenario requested from its declaration,
 * approved by an operator, a consumer's call run, checked and signed with the production key —
 * and `indomain verify` accepting it, for its consumer only, and refusing a tampered copy.
 */
import { tamperState } from '../../helpers/audit-trail.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'

const BIN = new URL('../../../bin/indomain.js', import.meta.url).pathname
let sample: SampleStore
let env: NodeJS.ProcessEnv
let operator: string

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

beforeAll(async () => {
  sample = await createSampleStore(2000, 'release-cli')
  env = { ...process.env, INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'a passphrase for the test keys' }
  operator = cli('token', 'issue', '--role', 'operator', '--subject', 'op-li').out.trim()
})
afterAll(() => sample.dispose())

describe('indomain run and indomain verify', () => {
  it('request → approve → run → a production release that verifies for its consumer only', () => {
    const requested = cli('scenario', 'request', '--product', 'products/enterprise-credit-score', '--partner', 'credit-lab', '--token', operator)
    expect(requested.code, requested.err).toBe(0)
    const id = requested.out.trim()
    expect(id).toMatch(/^scn-[0-9a-f]{10}$/)
    const approved = cli('scenario', 'approve', id, '--expires', '2099-01-01', '--defaults', '--token', operator)
    expect(approved.code, approved.err).toBe(0)
    expect(approved.out).toContain('approved')

    const run = cli('run', 'products/enterprise-credit-score', '--scenario', id, '--consumer', 'bank-hf', '--partner', 'credit-lab', '--pick', '3', '--token', operator)
    expect(run.code, run.err).toBe(0)
    const result = JSON.parse(run.out) as { output: { score: number }; release: { status: string; env: string; token: string } }
    expect(result.release).toMatchObject({ status: 'released', env: 'production' })
    const token = join(sample.dir, 'release.jws')
    writeFileSync(token, result.release.token)

    const verified = cli('verify', token, '--consumer', 'bank-hf')
    expect(verified.code, verified.err).toBe(0)
    expect(JSON.parse(verified.out)).toMatchObject({ verified: true, env: 'production', consumer: 'bank-hf', result: { score: result.output.score } })

    const other = cli('verify', token, '--consumer', 'bank-other')
    expect(other.code).toBe(1)
    expect(other.err).toContain('WRONG_AUDIENCE')

    const [h, p, s] = result.release.token.split('.')
    const tampered = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { result: { score: number } }
    tampered.result.score = 900
    const bad = cli('verify', `${h}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${s}`)
    expect(bad.code).toBe(1)
    expect(bad.err).toContain('BAD_SIGNATURE')

    // the trail holds the scenario's request and approval and the signed release, and verifies
    const verifiedTrail = cli('audit', 'verify')
    expect(verifiedTrail.code, verifiedTrail.err).toBe(0)
    expect(JSON.parse(verifiedTrail.out)).toMatchObject({ ok: true })
    const trail = cli('audit', 'tail', '-n', '50').out
    const releaseId = (JSON.parse(run.out) as { release: { id: string } }).release.id
    expect(trail).toContain('"action":"scenario.requested"')
    expect(trail).toContain('"action":"scenario.approved"')
    expect(trail).toContain(`"release":"${releaseId}"`)
    // an auditor finds an edited entry
    tamperState(join(sample.dir, 'state.sqlite'), `UPDATE audit_entries SET entry = replace(entry, '"actor":"op-li"', '"actor":"op-wang"')`)
    const tampered2 = cli('audit', 'verify')
    expect(tampered2.code).toBe(1)
    expect(JSON.parse(tampered2.out)).toMatchObject({ ok: false, problem: 'ENTRY_CHANGED' })
  }, 120_000)

  it('refuses to run a product under a scenario approved for another product', () => {
    const requested = cli('scenario', 'request', '--file', writeRequest(), '--partner', 'other-lab', '--token', operator)
    const id = requested.out.trim()
    cli('scenario', 'approve', id, '--expires', '2099-01-01', '--defaults', '--token', operator)
    const run = cli('run', 'products/enterprise-credit-score', '--scenario', id, '--consumer', 'bank-hf', '--partner', 'credit-lab', '--pick', '1', '--token', operator)
    expect(run.code).toBe(3)
    expect(run.err).toContain('ERR_SCENARIO_NOT_APPROVED')
  }, 60_000)

  it('a dev release never verifies as production', () => {
    const dev = cli('dev', 'products/enterprise-credit-score', '--db', sample.path, '--pick', '2')
    expect(dev.code, dev.err).toBe(0)
    const token = (JSON.parse(dev.out) as { release: { token: string } }).release.token
    const verified = cli('verify', token)
    expect(verified.code).toBe(1)
    expect(verified.err).toContain('DEV_RELEASE')
    expect(cli('verify', token, '--dev').code).toBe(0)
  }, 60_000)
})

function writeRequest(): string {
  const file = join(sample.dir, 'request.json')
  writeFileSync(
    file,
    JSON.stringify({ partner: 'other-lab', product: 'other-product', purpose: '另一个产品', category: '公共治理', tables: { enterprise_basic: { key: 'uscc', fields: { status: '状态' } } } }),
  )
  return file
}
