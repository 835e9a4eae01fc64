/**
 * Serving: `POST /v1/products/enterprise-credit-score/invoke` (auth, rows through the gate's
 * warm index, the sandbox, release checks, signing, a durable audit entry) against a bare fastify
 * route returning a constant, both listening on loopback and loaded with autocannon (10
 * connections, 10 s each) in the same run.
 * - `api.invoke_vs_bare.ratio`: invoke requests/s ÷ bare requests/s. Goal ≥ 0.2 (aim 0.3).
 * - `api.invoke.p99_ms`: p99 latency of invoke at 10 connections. Goal ≤ 15 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { loadCatalog } from '../catalog/load-catalog.ts'
import { loadConfig } from '../runtime/config.ts'
import { buildStore, openStore } from '../runtime/store/index.ts'
import { bootstrapExamples } from '../runtime/server/bootstrap.ts'
import { createServerRuntime } from '../runtime/server/server-runtime.ts'
import type { Benchmark } from './harness.ts'
import { round, shared } from './measure.ts'

type Figures = { bareRps: number; invokeRps: number; invokeP99: number; invokeP50: number }

async function load(url: string, options: { method?: 'POST'; headers?: Record<string, string>; body?: string }): Promise<autocannon.Result> {
  return autocannon({ url, connections: 10, duration: 10, ...options })
}

const measure = shared(async (): Promise<Figures> => {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-api-'))
  const config = loadConfig({ INDOMAIN_DATA_DIR: dir, INDOMAIN_KEY_PASSPHRASE: 'benchmark passphrase', INDOMAIN_PORT: '0', INDOMAIN_RATE_LIMIT: '100000000' })
  const catalog = loadCatalog()
  await buildStore({ catalog, path: config.storePath, scale: 20_000, seed: 'bench-api' })
  const { apiKey } = await bootstrapExamples(config, catalog, 'products')
  const store = await openStore(config.storePath, { access: 'read-only' })
  const uscc = String((await store.connection.runAndReadAll(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`)).getRowsJS()[0]![0])
  store.close()
  const runtime = await createServerRuntime(config)
  const bare = Fastify()
  bare.get('/constant', async () => ({ ok: true }))
  try {
    const invokeUrl = `${await runtime.app.listen({ host: '127.0.0.1', port: 0 })}/v1/products/enterprise-credit-score/invoke`
    const bareUrl = `${await bare.listen({ host: '127.0.0.1', port: 0 })}/constant`
    const request = { method: 'POST' as const, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ input: { uscc } }) }
    // warm both
    await autocannon({ url: invokeUrl, connections: 2, amount: 200, ...request })
    await autocannon({ url: bareUrl, connections: 2, amount: 200 })
    const bareResult = await load(bareUrl, {})
    const invokeResult = await load(invokeUrl, request)
    if (invokeResult.non2xx > 0 || invokeResult.errors > 0) throw new Error(`invoke answered ${invokeResult.non2xx} non-2xx and ${invokeResult.errors} errors`)
    return {
      bareRps: bareResult.requests.average,
      invokeRps: invokeResult.requests.average,
      invokeP99: invokeResult.latency.p99,
      invokeP50: invokeResult.latency.p50,
    }
  } finally {
    await bare.close()
    await runtime.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

export const benchmarks: readonly Benchmark[] = [
  {
    id: 'api.invoke_vs_bare.ratio',
    title: 'invoke requests/s ÷ a bare fastify route\'s requests/s (autocannon, 10 connections, loopback)',
    async run() {
      const f = await measure()
      const ratio = round(f.invokeRps / f.bareRps)
      return { value: ratio, unit: 'ratio', baseline: round(f.bareRps, 0), ratio, goal: null }
    },
  },
  {
    id: 'api.invoke.rps',
    title: 'invoke requests per second at 10 connections (goal: at least 0.2 of bare, aim 0.3)',
    async run() {
      const f = await measure()
      return { value: round(f.invokeRps, 0), unit: 'req/s', baseline: round(f.bareRps, 0), ratio: round(f.invokeRps / f.bareRps), goal: null }
    },
  },
  {
    id: 'api.invoke.p99_ms',
    title: 'invoke p99 latency at 10 connections (baseline: p50)',
    async run() {
      const f = await measure()
      return { value: f.invokeP99, unit: 'ms', baseline: f.invokeP50, ratio: null, goal: 15 }
    },
  },
]
