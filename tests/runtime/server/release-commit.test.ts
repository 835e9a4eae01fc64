/**
 * What decides a release is read again where the release is recorded (pipeline/release-commit.ts):
 * the server reuses a second-old read of the consumer, the product and the scenario, so these
 * tests change them behind its back — through a state handle of their own, as another replica or
 * a command would — and call again at once. No release may be signed for a consumer suspended, a
 * product held or a scenario revoked before the call committed; a new version is picked up on the
 * spot; a quota is exact however many calls race. Each with the case that must still work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../runtime/config.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { openState, type State } from '../../../runtime/state/state.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { approveAndPublish, nextVersion } from '../../helpers/published-product.ts'

const PRODUCT = 'enterprise-credit-score'
let sample: SampleStore
let server: ServerRuntime
/** The same state, through other stores: their changes do not clear the server's recent reads. */
let elsewhere: State
let bankKey: string
let otherKey: string
let uscc: string[]
const config = () => loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'release commit test passphrase', INDOMAIN_RATE_LIMIT: '100000' })

beforeAll(async () => {
  sample = await createSampleStore(2000, 'release-commit')
  const c = config()
  bankKey = (await approveAndPublish(sample, c, `products/${PRODUCT}`, { partner: 'credit-lab', operator: 'op-zhang', priceFen: 50 })).apiKey
  uscc = (await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 12`)).map((r) => String(r.uscc))
  server = await createServerRuntime(c)
  await server.warm()
  elsewhere = await openState(c.stateDatabase)
  otherKey = (await elsewhere.registry.addConsumer('bank-other', '另一家银行')).apiKey
}, 180_000)

afterAll(async () => {
  await elsewhere?.close()
  await server?.close()
  sample?.dispose()
})

const invoke = async (key: string, n = 0) => {
  const r = await server.app.inject({ method: 'POST', url: `/v1/products/${PRODUCT}/invoke`, headers: { authorization: `Bearer ${key}` }, payload: { input: { uscc: uscc[n % uscc.length] } } })
  return { status: r.statusCode, body: r.json() as Record<string, any> }
}
const signedFor = async (consumer: string) => (await elsewhere.releases.usage({ consumer })).reduce((n, u) => n + u.released, 0)

describe('the release commit', () => {
  it('signs nothing for a consumer once its suspension commits, not even for calls already past the front door', async () => {
    expect((await invoke(bankKey)).status).toBe(200)
    // 40 calls at once, and the suspension while they are in flight (past authentication, in the
    // sandbox); how far they got varies with the machine, so a few rounds, each later than the last
    let refusedAtCommit = 0
    for (let round = 0, delayMs = 2; round < 8 && refusedAtCommit === 0; round++, delayMs *= 2) {
      const calls = Array.from({ length: 40 }, (_, i) => invoke(bankKey, i))
      await new Promise((r) => setTimeout(r, delayMs))
      await elsewhere.registry.setConsumerStatus('bank-hf', 'suspended')
      const suspendedAt = Date.now()
      const statuses = (await Promise.all(calls)).map((c) => c.status)
      expect(statuses.every((s) => s === 200 || s === 401)).toBe(true)
      // the guarantee: no release for the consumer committed after its suspension
      const late = (await elsewhere.releases.list({ status: 'released' })).filter((r) => r.consumer === 'bank-hf' && Date.parse(r.createdAt) > suspendedAt)
      expect(late).toEqual([])
      refusedAtCommit = (await server.audit.read({ action: 'auth.failed', limit: 1000 })).entries.filter((e) => e.subject === 'consumer:bank-hf' && e.detail?.at === 'commit').length
      await elsewhere.registry.setConsumerStatus('bank-hf', 'active')
    }
    expect(refusedAtCommit).toBeGreaterThan(0)
    // the positive control: the reinstated bank's calls, and another consumer's, are released
    expect((await invoke(bankKey, 2)).status).toBe(200)
    expect((await invoke(otherKey, 1)).status).toBe(200)
  })

  it('signs nothing for a product held elsewhere, and serves it again once the hold ends', async () => {
    expect((await invoke(otherKey, 2)).status).toBe(200)
    expect(await elsewhere.registry.holdProduct(PRODUCT)).toBe(true)
    const held = await invoke(otherKey, 3)
    expect(held.status).toBe(404)
    expect(held.body.code).toBe('ERR_PRODUCT_NOT_FOUND')
    expect(await elsewhere.registry.releaseHold(PRODUCT)).toBe(true)
    expect((await invoke(otherKey, 3)).status).toBe(200)
  })

  it('answers with a version published elsewhere a moment ago: the call runs again on fresh reads', async () => {
    // version 1.0.1 of the same product, bundled and published as the command line does
    const { product, publish } = await nextVersion(sample, elsewhere, `products/${PRODUCT}`, PRODUCT, '1.0.1')
    // the server reads version 1.0.0 a moment before 1.0.1 is published
    expect((await invoke(otherKey, 4)).status).toBe(200)
    await publish()
    const next = await invoke(otherKey, 5)
    expect(next.status).toBe(200)
    const claims = JSON.parse(Buffer.from(String(next.body.release).split('.')[1]!, 'base64url').toString()) as { product: { version: string; codeHash: string } }
    expect(claims.product).toMatchObject({ version: '1.0.1', codeHash: product.codeHash })
    expect((await elsewhere.releases.get(next.body.releaseId)).version).toBe('1.0.1')
  })

  it('counts a monthly quota exactly when calls race: 3 of 10 released, the rest refused unrecorded', async () => {
    const { apiKey } = await elsewhere.registry.addConsumer('bank-quota', '限额银行', 3)
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => invoke(apiKey, i)))
    const statuses = answers.map((a) => a.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(3)
    expect(statuses.filter((s) => s === 429)).toHaveLength(7)
    expect(await signedFor('bank-quota')).toBe(3)
    // the positive control: a consumer without a quota is not held to another's
    expect((await invoke(otherKey, 6)).status).toBe(200)
  })

  it('meters nothing the trail does not hold: the ledger\'s calls and fees are a fold over the trail\'s release entries', async () => {
    // a burst of calls from two consumers, on top of every call the tests before made (quota refusals included)
    await Promise.all(Array.from({ length: 24 }, (_, i) => invoke(i % 2 === 0 ? otherKey : bankKey, i)))
    const fold = new Map<string, { released: number; refused: number; feeFen: number }>()
    for await (const line of server.audit.lines()) {
      const e = JSON.parse(line) as { action: string; actor: string; detail?: { priceFen?: number } }
      if (e.action !== 'release.signed' && e.action !== 'release.refused') continue
      const f = fold.get(e.actor) ?? { released: 0, refused: 0, feeFen: 0 }
      if (e.action === 'release.signed') {
        f.released++
        f.feeFen += e.detail?.priceFen ?? 0
      } else f.refused++
      fold.set(e.actor, f)
    }
    const ledger = new Map<string, { released: number; refused: number; feeFen: number }>()
    for (const u of await elsewhere.releases.usage({})) {
      const l = ledger.get(u.consumer) ?? { released: 0, refused: 0, feeFen: 0 }
      ledger.set(u.consumer, { released: l.released + u.released, refused: l.refused + u.refused, feeFen: l.feeFen + u.feeFen })
    }
    expect(ledger.get('bank-other')!.released).toBeGreaterThan(0)
    expect(Object.fromEntries(ledger)).toEqual(Object.fromEntries(fold))
  })

  it('signs nothing once the scenario is revoked elsewhere (last: a revocation is final)', async () => {
    expect((await invoke(otherKey, 7)).status).toBe(200)
    const scenario = (await elsewhere.registry.published(PRODUCT))!.scenario
    await elsewhere.scenarios.revoke(scenario, 'op-li', '数据提供方撤回授权')
    const before = await signedFor('bank-other')
    const revoked = await invoke(otherKey, 8)
    expect(revoked.status).toBe(403)
    expect(revoked.body.code).toBe('ERR_SCENARIO_REVOKED')
    expect(await signedFor('bank-other')).toBe(before)
  })
})
