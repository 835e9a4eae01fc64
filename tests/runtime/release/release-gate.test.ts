import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openKeyStore, type KeyStore } from '../../../runtime/release/key-store.ts'
import type { ReleaseStore } from '../../../runtime/release/release-store.ts'
import { openState, type State } from '../../../runtime/state/state.ts'
import { reviewRelease, ReleaseRefusedError, type ReleaseRequest } from '../../../runtime/release/release-gate.ts'
import { createReleaseCommit, releaseThroughGate, type ReleaseCommit } from '../../../runtime/pipeline/index.ts'
import { defaultPolicy, tightenPolicy } from '../../../runtime/release/release-policy.ts'
import { verifyRelease } from '../../../runtime/release/signing.ts'
import { t } from '../../../sdk/index.ts'
import { makeResidentId } from '../../../catalog/identifiers/index.ts'

const PERSON = makeResidentId('341502', '19900307', 777)

let dir: string
let store: ReleaseStore
let state: State
let keys: KeyStore
let commit: ReleaseCommit

/** The gate's decision, recorded through the release commit (as every run's is). */
const release = async (r: ReleaseRequest) =>
  (await releaseThroughGate({ releases: store, keys, commit: commit.commit }, { ...r, releaseId: r.releaseId ?? `rel-test-${Math.random().toString(36).slice(2)}` }, { subject: `${r.product.id}@${r.product.version}`, detail: {} })).outcome

const scoreSchema = t.object({ score: t.integer({ minimum: 300, maximum: 900 }), note: t.string({ pattern: '^(?s:.){0,500}$' }) })
const tableSchema = t.object({ rows: t.array(t.object({ district: t.string({ maxLength: 20 }), persons: t.nullable(t.integer()) }), { maxItems: 100 }) })

function apiRequest(over: Partial<ReleaseRequest> = {}): ReleaseRequest {
  return {
    product: { id: 'credit', version: '1.0.0', codeHash: 'c'.repeat(64), kind: 'api', output: scoreSchema },
    partner: 'partner-a',
    scenario: 'scn-1',
    consumer: 'bank-a',
    input: { uscc: '91350100M000100Y43' },
    entityKey: '91350100M000100Y43',
    output: { score: 700, note: 'ok' },
    policy: defaultPolicy('api'),
    ...over,
  }
}

function tableRequest(counts: Record<string, number>, over: Partial<ReleaseRequest> = {}): ReleaseRequest {
  const districts = Object.keys(counts)
  return {
    product: { id: 'occupancy', version: '1.0.0', codeHash: 'd'.repeat(64), kind: 'dataset', output: tableSchema },
    partner: 'partner-b',
    scenario: 'scn-2',
    consumer: 'housing-bureau',
    input: {},
    output: { rows: districts.map((d) => ({ district: d, persons: counts[d]! })) },
    policy: defaultPolicy('dataset'),
    batch: { report: [], reasons: [], allowedIdentifiers: [] },
    ...over,
  }
}

async function refusal(promise: Promise<unknown>): Promise<ReleaseRefusedError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(ReleaseRefusedError)
  return error as ReleaseRefusedError
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-release-'))
  state = await openState(join(dir, 'state.sqlite'))
  store = state.releases
  keys = openKeyStore(join(dir, 'keys.json'), 'a long enough passphrase', 'production')
  commit = createReleaseCommit({ state: state.database, releases: store })
})
afterAll(async () => {
  await state.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the release gate', () => {
  it('signs a clean one-entity result at once, and the release verifies and is bound to its request', async () => {
    const outcome = await release(apiRequest())
    expect(outcome.status).toBe('released')
    if (outcome.status !== 'released') return
    const claims = await verifyRelease(outcome.token, {
      jwks: keys.jwks(),
      audience: 'bank-a',
      request: { product: 'credit', version: '1.0.0', scenario: 'scn-1', consumer: 'bank-a', input: { uscc: '91350100M000100Y43' } },
    })
    expect(claims.result).toEqual({ score: 700, note: 'ok' })
    expect(claims.checks.passed).toEqual(['SCHEMA', 'IDENTIFIERS', 'FREE_TEXT', 'MINIMUM_NECESSARY', 'GUARDS'])
    expect(claims.product.codeHash).toBe('c'.repeat(64))
  })

  it('refuses, with every reason, an output with an extra field, an identifier, the key and undeclared free text — and never signs it', async () => {
    const error = await refusal(
      release(apiRequest({ output: { score: 700, note: `联系人 138 0013 8000，身份证 ${PERSON}，企业 91350100M000100Y43 ${'详'.repeat(80)}`, extra: 1 } })),
    )
    const codes = error.reasons.map((r) => r.code)
    expect(codes).toContain('SCHEMA_MISMATCH')
    expect(codes.filter((c) => c === 'DIRECT_IDENTIFIER').length).toBeGreaterThanOrEqual(3)
    expect(codes).toContain('KEY_IN_OUTPUT')
    expect(codes).toContain('UNDECLARED_FREE_TEXT')
    // nothing about the values in the error
    expect(JSON.stringify(error)).not.toContain(PERSON)
    const record = await store.get(String(error.details!.release))
    expect(record.status).toBe('refused')
    expect(await store.tokenOf(record.releaseId)).toBeNull()
  })

  it('queues a batch output with the run\'s report items after the checks of its bytes, and remembers its cells', async () => {
    const item = { check: 'MIN_COUNT', status: 'applied' as const, figures: { withheld: 2 }, zh: '2 个单元格贡献者少于最低计数，已整格隐匿。' }
    const cells = { kind: 'household_registration.resident_id', released: [{ id: 'c1', units: [11, 12] }], withheld: [{ id: 'c2', units: [13] }] }
    const pending = await release(tableRequest({ 金安区: 120 }, { consumer: 'report-bank', batch: { report: [item], reasons: [], allowedIdentifiers: [], cells } }))
    expect(pending.status).toBe('pending')
    if (pending.status !== 'pending') return
    const items = pending.record.report.items as { check: string }[]
    expect(items.map((i) => i.check)).toEqual(['SCHEMA', 'IDENTIFIERS', 'FREE_TEXT', 'GUARDS', 'MIN_COUNT'])
    expect(await store.cellHistory('report-bank', 'household_registration.resident_id')).toEqual({ released: [{ id: 'c1', units: [11, 12] }], withheld: [{ id: 'c2', units: [13] }] })
    expect(await store.cellHistory('someone-else', 'household_registration.resident_id')).toEqual({ released: [], withheld: [] })
  })

  it('refuses a batch output the run found a reason to refuse (row-level release not approved), recording it unsigned', async () => {
    const error = await refusal(release(tableRequest({ 金安区: 120 }, { consumer: 'rows-bank', batch: { report: [], reasons: [{ code: 'ROW_LEVEL_NOT_APPROVED' }], allowedIdentifiers: [] } })))
    expect(error.reasons.map((r) => r.code)).toEqual(['ROW_LEVEL_NOT_APPROVED'])
    expect((await store.get(String(error.details!.release))).status).toBe('refused')
  })

  it('needs two different reviewers, neither the product\'s partner; a rejection is final and unsigned', async () => {
    const pending = await release(tableRequest({ 金寨县: 90, 霍邱县: 80 }, { consumer: 'review-bank' }))
    expect(pending.status).toBe('pending')
    await expect(reviewRelease({ store, keys }, pending.releaseId, 'partner-b', 'approve')).rejects.toThrow(/partner/)
    const first = await reviewRelease({ store, keys }, pending.releaseId, 'op-1', 'approve')
    expect(first.token).toBeUndefined()
    expect(first.record.status).toBe('pending')
    await expect(reviewRelease({ store, keys }, pending.releaseId, 'op-1', 'approve')).rejects.toThrow(/second, different operator/)
    const second = await reviewRelease({ store, keys }, pending.releaseId, 'op-2', 'approve')
    expect(second.record.status).toBe('released')
    const claims = await verifyRelease(second.token!, { jwks: keys.jwks() })
    expect(claims.checks.passed).toContain('REVIEW')

    const rejected = await release(tableRequest({ 金寨县: 91, 霍邱县: 80 }, { consumer: 'review-bank-2' }))
    await expect(reviewRelease({ store, keys }, rejected.releaseId, 'op-1', 'reject')).rejects.toThrow(/reason/)
    const r = await reviewRelease({ store, keys }, rejected.releaseId, 'op-1', 'reject', '人群划分过细')
    expect(r.record.status).toBe('rejected')
    expect(r.token).toBeUndefined()
    await expect(reviewRelease({ store, keys }, rejected.releaseId, 'op-2', 'approve')).rejects.toThrow(/not waiting/)
    expect(await store.tokenOf(rejected.releaseId)).toBeNull()
  })

  it('limits the distinct entities one consumer may look up per product and period', async () => {
    const policy = tightenPolicy(defaultPolicy('api'), { volume: { maxEntities: 2, periodDays: 30 } })
    const ask = (key: string) => release(apiRequest({ consumer: 'volume-bank', entityKey: key, input: { uscc: key }, policy }))
    await expect(ask('AAAA1')).resolves.toMatchObject({ status: 'released' })
    await expect(ask('AAAA2')).resolves.toMatchObject({ status: 'released' })
    await expect(ask('AAAA1')).resolves.toMatchObject({ status: 'released' })
    const error = await refusal(ask('AAAA3'))
    expect(error.reasons).toEqual([{ code: 'VOLUME_EXCEEDED', limit: 2, periodDays: 30 }])
  })

  it('lets an operator tighten a policy but not loosen it; single review only for public-interest products', () => {
    expect(() => tightenPolicy(defaultPolicy('dataset'), { minCount: 5 })).toThrow()
    expect(() => tightenPolicy(defaultPolicy('dataset'), { review: 'none' })).toThrow()
    expect(() => tightenPolicy(defaultPolicy('dataset'), { reviewers: 1 }, '产业发展')).toThrow()
    expect(tightenPolicy(defaultPolicy('dataset'), { reviewers: 1 }, '公益事业').reviewers).toBe(1)
    expect(tightenPolicy(defaultPolicy('api'), { minCount: 20 }).minCount).toBe(20)
  })
})
