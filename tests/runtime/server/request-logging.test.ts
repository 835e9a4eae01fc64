/**
 * The operational log does not cost a line per request at info level: calls are summarized (by
 * route and status class, with latency quantiles), 5xx failures are still logged one by one, and
 * at debug level every request is logged (the positive control). Credentials never appear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { loadConfig } from '../../../runtime/config.ts'
import { operationalLogger } from '../../../runtime/server/build-server.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { approveAndPublish } from '../../helpers/published-product.ts'

let sample: SampleStore
let apiKey: string
let uscc: string
const config = () => loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'logging test passphrase' })

beforeAll(async () => {
  sample = await createSampleStore(2000, 'request-logging')
  apiKey = (await approveAndPublish(sample, config(), 'products/enterprise-credit-score', { partner: 'credit-lab', operator: 'op-zhang', priceFen: 50 })).apiKey
  uscc = String((await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`))[0]!.uscc)
}, 120_000)

afterAll(() => sample?.dispose())

/** A server logging at `level` into memory; serves 20 calls and 3 unknown routes, then closes. */
async function served(level: 'info' | 'debug'): Promise<Record<string, any>[]> {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter((l) => l !== ''))
      done()
    },
  })
  const server: ServerRuntime = await createServerRuntime(config(), { logger: { ...operationalLogger('info'), level, stream } })
  try {
    await server.warm()
    for (let i = 0; i < 20; i++) {
      const r = await server.app.inject({ method: 'POST', url: '/v1/products/enterprise-credit-score/invoke', headers: { authorization: `Bearer ${apiKey}` }, payload: { input: { uscc } } })
      expect(r.statusCode).toBe(200)
    }
    for (let i = 0; i < 3; i++) expect((await server.app.inject({ url: `/v1/nowhere-${i}`, headers: { authorization: `Bearer ${apiKey}` } })).statusCode).toBe(404)
  } finally {
    await server.close()
  }
  return lines.map((l) => JSON.parse(l) as Record<string, any>)
}

describe('request logging', () => {
  it('writes one summary at info level, not a line per request', async () => {
    const lines = await served('info')
    expect(lines.filter((l) => l.msg === 'request completed' || l.msg === 'incoming request')).toEqual([])
    const summaries = lines.filter((l) => l.msg === 'requests served')
    expect(summaries).toHaveLength(1)
    const summary = summaries[0]!.summary as { requests: number; byRoute: Record<string, number>; p50Ms: number; p99Ms: number }
    expect(summary.requests).toBe(23)
    expect(summary.byRoute).toEqual({ 'POST /v1/products/:id/invoke 2xx': 20, 'GET (no route) 4xx': 3 })
    expect(summary.p50Ms).toBeGreaterThan(0)
    expect(summary.p99Ms).toBeGreaterThanOrEqual(summary.p50Ms)
    expect(JSON.stringify(lines)).not.toContain(apiKey)
  })

  it('logs every request at debug level, without its credentials', async () => {
    const lines = await served('debug')
    const completed = lines.filter((l) => l.msg === 'request completed')
    expect(completed).toHaveLength(23)
    expect(completed.filter((l) => l.route === '/v1/products/:id/invoke' && l.status === 200)).toHaveLength(20)
    expect(JSON.stringify(lines)).not.toContain(apiKey)
  })
})
