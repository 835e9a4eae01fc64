/**
 * 企业社保缴存能力评估 end to end through the server: the custodian generates keys; the provider
 * encrypts the social-insurance base and drops the plaintext; the decryption service runs in its
 * own process with the only secret key; the serving runtime (this process: no passphrase, no
 * secret file) runs the published report for a consumer, the release waits for two operators,
 * and the signed averages equal the plaintext computation for every released district.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig, type RuntimeConfig } from '../../../runtime/config.ts'
import { openKeys } from '../../../runtime/release/open-keys.ts'
import { verifyRelease } from '../../../runtime/release/signing.ts'
import { generateHeKeys, loadPublicKeys, PUBLIC_KEYS_FILE } from '../../../runtime/he/he-keys.ts'
import { encryptField, groupLabels } from '../../../runtime/he/he-store.ts'
import { openStore } from '../../../runtime/store/open-store.ts'
import { issuePlatformToken } from '../../../runtime/server/platform-tokens.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { approveAndPublish } from '../../helpers/published-product.ts'
import { startIndomainProcess } from '../../helpers/serve-process.ts'

const PRODUCT = 'enterprise-social-insurance-capacity'
const PORT = 21000 + Math.floor(Math.random() * 1000)
let sample: SampleStore
let server: ServerRuntime
let service: ChildProcess
let runtimeConfig: RuntimeConfig
let apiKey: string
let plaintext: Map<string, { n: number; mean: number }>

beforeAll(async () => {
  sample = await createSampleStore(2000, 'he-report')
  const base = { INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'he report platform passphrase' }
  // the custodian's side
  const custodian = loadConfig({ ...base, INDOMAIN_HE_PASSPHRASE: 'he report custodian passphrase' })
  const { publicPath } = await generateHeKeys(custodian.heCustodianDir, 'he report custodian passphrase')
  mkdirSync(custodian.heDir, { recursive: true })
  copyFileSync(publicPath, join(custodian.heDir, PUBLIC_KEYS_FILE))
  // the truth, before the provider drops the plaintext
  const rows = await sample.storeRows(
    `SELECT g.district_code AS d, count(t.contribution_base) AS n, avg(t.contribution_base) AS mean FROM social_insurance_enrollment t JOIN enterprise_basic g ON g.uscc = t.employer_uscc GROUP BY 1`,
  )
  plaintext = new Map(rows.map((r) => [String(r.d), { n: Number(r.n), mean: Number(r.mean) }]))
  // the provider's side
  await encryptField({ storePath: sample.path, catalog: sample.catalog, keys: await loadPublicKeys(publicPath), table: 'social_insurance_enrollment', field: 'contribution_base', scale: 100, max: 60_000, orderBy: ['employer_uscc'], dropPlaintext: true })
  // the decryption service, in its own process, trusting the platform's public keys
  const platformKeys = openKeys(custodian, 'production')
  platformKeys.active()
  writeFileSync(join(sample.dir, 'platform-jwks.json'), JSON.stringify(platformKeys.jwks()))
  service = await startIndomainProcess(['he', 'decryption-service', '--port', String(PORT), '--jwks', join(sample.dir, 'platform-jwks.json')], { ...process.env, ...base, INDOMAIN_HE_PASSPHRASE: 'he report custodian passphrase' }, 'decryption service on')
  // the serving runtime: public keys only, no passphrase, no custodian folder
  runtimeConfig = loadConfig({ ...base, INDOMAIN_HE_CUSTODIAN_DIR: join(sample.dir, 'not-here'), INDOMAIN_HE_DECRYPTION_URL: `http://127.0.0.1:${PORT}` })
  apiKey = (await approveAndPublish(sample, runtimeConfig, `products/${PRODUCT}`, { partner: 'hr-analytics', operator: 'op-zhang', priceFen: 0 })).apiKey
  server = await createServerRuntime(runtimeConfig)
}, 180_000)

afterAll(async () => {
  await server?.close()
  service?.kill('SIGTERM')
  sample.dispose()
})

describe('an encrypted report through the server', () => {
  it('runs with no secret key in the serving process', () => {
    expect(runtimeConfig.hePassphrase).toBeUndefined()
    expect(existsSync(runtimeConfig.heCustodianDir)).toBe(false)
    expect(process.env.INDOMAIN_HE_PASSPHRASE).toBeUndefined()
  })

  it('releases, after two operators, district averages equal to the plaintext ones; small districts suppressed', async () => {
    const run = await server.app.inject({ method: 'POST', url: `/v1/products/${PRODUCT}/runs`, headers: { authorization: `Bearer ${apiKey}` }, payload: { input: {} } })
    expect(run.statusCode, run.body).toBe(202)
    const { releaseId } = run.json() as { releaseId: string }
    const key = openKeys(runtimeConfig, 'production').active()
    for (const operator of ['op-li', 'op-wang']) {
      const token = issuePlatformToken(key, { role: 'operator', id: operator, ttlSeconds: 600 })
      const reviewed = await server.app.inject({ method: 'POST', url: `/v1/operator/releases/${releaseId}/review`, headers: { authorization: `Bearer ${token}` }, payload: { decision: 'approve' } })
      expect(reviewed.statusCode, reviewed.body).toBe(200)
    }
    const fetched = (await server.app.inject({ url: `/v1/releases/${releaseId}`, headers: { authorization: `Bearer ${apiKey}` } })).json() as { status: string; release: string }
    expect(fetched.status).toBe('released')
    const claims = await verifyRelease(fetched.release, { jwks: openKeys(runtimeConfig, 'production').jwks() })
    const result = claims.result as { districts: { district: string; enrollees: number; averageBase: number }[]; suppressedDistricts: number }
    expect(result.districts.length).toBeGreaterThan(0)
    for (const d of result.districts) {
      const truth = plaintext.get(d.district)!
      expect(d.enrollees).toBe(truth.n)
      expect(d.enrollees).toBeGreaterThanOrEqual(10)
      expect(d.averageBase).toBeCloseTo(truth.mean, 2)
    }
    // every district below the minimum count is among the suppressed
    const small = [...plaintext.values()].filter((t) => t.n > 0 && t.n < 10).length
    expect(result.suppressedDistricts).toBeGreaterThanOrEqual(small)
    expect(result.districts.length + result.suppressedDistricts).toBe([...plaintext.values()].filter((t) => t.n > 0).length)
  }, 120_000)

  it('applies the scenario\'s row filters on the group\'s table too: rows it leaves out belong to no group', async () => {
    const store = await openStore(sample.path, { access: 'read-only' })
    try {
      const by = { table: 'enterprise_basic', field: 'district_code', via: 'employer_uscc' }
      const column = { table: 'social_insurance_enrollment', field: 'contribution_base' }
      const all = await groupLabels(store.connection, sample.catalog, column, by)
      const one = all.values[0]!
      const filtered = await groupLabels(store.connection, sample.catalog, column, by, undefined, { field: 'district_code', values: [one] })
      expect(filtered.values).toEqual([one])
      expect(filtered.labels.filter((l) => l === 0).length).toBe(all.labels.filter((l) => l === 0).length)
      expect(Array.from(filtered.labels).filter((l) => l > 0)).toEqual([])
    } finally {
      store.close()
    }
  })

  it('evaluates on a thread of its own: the server keeps answering while a report is computed', async () => {
    let done = false
    // CPU time, not wall-clock time (a loaded machine makes a run slower, not costlier): of this
    // thread, the server's event loop, and of the whole process, the evaluation's thread included
    const loopBefore = process.threadCpuUsage()
    const allBefore = process.cpuUsage()
    const run = server.app.inject({ method: 'POST', url: `/v1/products/${PRODUCT}/runs`, headers: { authorization: `Bearer ${apiKey}` }, payload: { input: {} } }).finally(() => (done = true))
    // the server answers other calls while the report is computed
    let answered = 0
    while (!done) {
      expect((await server.app.inject({ url: '/health' })).statusCode).toBe(200)
      answered++
      await new Promise((r) => setTimeout(r, 20))
    }
    expect((await run).statusCode).toBe(202)
    const loop = process.threadCpuUsage(loopBefore)
    const all = process.cpuUsage(allBefore)
    const loopMs = (loop.user + loop.system) / 1000
    const allMs = (all.user + all.system) / 1000
    expect(answered).toBeGreaterThan(5)
    // the homomorphic rotations are most of the run's work, and they are not on the event loop
    expect(loopMs).toBeLessThan(allMs - loopMs)
  }, 60_000)

  it('keeps the plaintext out of the store once dropped', async () => {
    expect(await sample.storeRows(`SELECT count(contribution_base) AS n FROM social_insurance_enrollment`)).toEqual([{ n: 0n }])
  })
})
