/**
 * GET /v1/runs: a consumer's own dataset and report runs with their product's title, status and
 * times. Another consumer's runs never appear, whatever the status asked for; a one-entity API
 * call is not a run; without an API key (or with a platform token) the list is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, type RuntimeConfig } from '../../../runtime/config.ts'
import { openKeys } from '../../../runtime/release/open-keys.ts'
import type { NewRelease } from '../../../runtime/release/release-store.ts'
import { issuePlatformToken } from '../../../runtime/server/platform-tokens.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { withState } from '../../../runtime/state/state.ts'
import { approveAndPublish } from '../../helpers/published-product.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'

const DATASET = 'enterprise-shell-scan'

let sample: SampleStore
let config: RuntimeConfig
let server: ServerRuntime
const keys = { hf: '', js: '' }
let realRun = ''

const call = async (url: string, token: string | null) => {
  const r = await server.app.inject({ method: 'GET', url, headers: token === null ? {} : { authorization: `Bearer ${token}` } })
  return { status: r.statusCode, body: r.json() as Record<string, any> }
}

const seeded = (releaseId: string, consumer: string, status: NewRelease['status'], kind = 'dataset'): NewRelease => ({
  releaseId,
  status,
  consumer,
  product: DATASET,
  version: '1.0.0',
  codeHash: 'seed',
  ttlSeconds: 3600,
  partner: 'shell-lab',
  scenario: 'scn-seed',
  kind,
  requestHash: 'seed',
  resultHash: 'seed',
  reasons: status === 'refused' ? [{ code: 'ROW_LEVEL_NOT_APPROVED' }] : [],
  report: {},
  reviewersNeeded: 2,
  priceFen: 0,
})

beforeAll(async () => {
  sample = await createSampleStore(2000, 'console')
  config = loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'consumer runs test passphrase' })
  keys.hf = (await approveAndPublish(sample, config, `products/${DATASET}`, { partner: 'shell-lab', operator: 'op-wang', priceFen: 0 })).apiKey
  await withState(config.stateDatabase, async ({ registry, releases }) => {
    keys.js = (await registry.addConsumer('bank-js', '江苏银行')).apiKey
    await releases.record(seeded('rel-hf-rejected', 'bank-hf', 'pending'))
    await releases.decide('rel-hf-rejected', 'op-li', 'reject', '名单需先核对')
    await releases.record(seeded('rel-hf-refused', 'bank-hf', 'refused'))
    await releases.record(seeded('rel-hf-api', 'bank-hf', 'released', 'api'))
    await releases.record(seeded('rel-js-pending', 'bank-js', 'pending'))
    await releases.record(seeded('rel-js-released', 'bank-js', 'released'))
  })
  server = await createServerRuntime(config)
  // one run made the way a bank makes it: it waits for two reviewers
  const run = await server.app.inject({ method: 'POST', url: `/v1/products/${DATASET}/runs`, headers: { authorization: `Bearer ${keys.hf}` }, payload: { input: {} } })
  expect(run.statusCode).toBe(202)
  realRun = run.json().releaseId
}, 180_000)

afterAll(async () => {
  await server?.close()
  sample?.dispose()
})

describe('GET /v1/runs', () => {
  it('lists the consumer\'s own runs, newest first, with the product\'s title, status and times', async () => {
    const all = await call('/v1/runs', keys.hf)
    expect(all.status).toBe(200)
    expect(all.body.consumer).toBe('bank-hf')
    expect(all.body.runs.map((r: { releaseId: string }) => r.releaseId)).toEqual([realRun, 'rel-hf-refused', 'rel-hf-rejected'])
    const [pending, refused, rejected] = all.body.runs
    expect(pending).toMatchObject({ product: DATASET, productTitle: expect.stringMatching(/\p{Script=Han}/u), version: expect.stringMatching(/^\d+\.\d+\.\d+$/), kind: 'dataset', status: 'pending', decidedAt: null })
    expect(Date.parse(pending.createdAt)).not.toBeNaN()
    expect(refused).toMatchObject({ status: 'refused', decidedAt: refused.createdAt })
    expect(rejected.status).toBe('rejected')
    expect(Date.parse(rejected.decidedAt)).toBeGreaterThanOrEqual(Date.parse(rejected.createdAt))
    expect(Object.keys(pending).sort()).toEqual(['createdAt', 'decidedAt', 'kind', 'product', 'productTitle', 'releaseId', 'status', 'version'])
  })

  it('never lists another consumer\'s runs, whatever the status asked for', async () => {
    for (const status of ['', '?status=pending', '?status=released', '?status=rejected', '?status=refused']) {
      const hf = await call(`/v1/runs${status}`, keys.hf)
      const js = await call(`/v1/runs${status}`, keys.js)
      expect(hf.body.runs.every((r: { releaseId: string }) => !r.releaseId.startsWith('rel-js-'))).toBe(true)
      expect(js.body.runs.every((r: { releaseId: string }) => r.releaseId.startsWith('rel-js-'))).toBe(true)
    }
    expect((await call('/v1/runs?status=pending', keys.js)).body.runs.map((r: { releaseId: string }) => r.releaseId)).toEqual(['rel-js-pending'])
    expect((await call('/v1/runs?status=pending', keys.hf)).body.runs.map((r: { releaseId: string }) => r.releaseId)).toEqual([realRun])
    // a released API call is usage, not a run
    expect((await call('/v1/runs?status=released', keys.hf)).body.runs).toEqual([])
  })

  it('refuses a caller without an API key, a platform token and an unknown status', async () => {
    expect((await call('/v1/runs', null)).body.code).toBe('ERR_AUTH_REQUIRED')
    expect((await call('/v1/runs', 'idk_not-a-key-of-anyone-at-all')).status).toBe(401)
    const operator = issuePlatformToken(openKeys(config, 'production').active(), { role: 'operator', id: 'op-zhang', ttlSeconds: 600 })
    expect((await call('/v1/runs', operator)).status).toBeGreaterThanOrEqual(401)
    expect((await call('/v1/runs', operator)).body.runs).toBeUndefined()
    expect((await call('/v1/runs?status=everything', keys.hf)).body.code).toBe('ERR_PARAMS_INVALID')
  })
})
