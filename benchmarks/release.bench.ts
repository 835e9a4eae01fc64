/**
 * The cost of releasing a one-entity result: the release checks (schema, identifier scan over
 * the exact bytes, free text) plus Ed25519 signing, against a full one-entity run of the first
 * product, in one run.
 * - `release.checks_sign_us`: median µs of checks + signing per result (node:crypto signing).
 * - `release.share_of_run`: that cost ÷ a full warm one-entity run (lookup, sandbox, output) of
 *   enterprise-credit-score. Goal ≤ 0.2.
 * - `release.sign_jose_vs_crypto.ratio`: jose's SignJWT ÷ node:crypto signing of the same JWS —
 *   the evidence behind signing with node:crypto (both produce the same standard JWS).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { loadCatalog } from '../catalog/load-catalog.ts'
import { buildStore, openStore } from '../runtime/store/index.ts'
import { bundleProduct } from '../runtime/sandbox/bundle-product.ts'
import { createSandboxPool } from '../runtime/sandbox/sandbox-pool.ts'
import { invokeProduct, loadProduct } from '../runtime/products/run-product.ts'
import { loadEntityIndex } from '../runtime/entity/entity-index.ts'
import { checkRelease } from '../runtime/release/check-release.ts'
import { defaultPolicy } from '../runtime/release/release-policy.ts'
import { openKeyStore } from '../runtime/release/key-store.ts'
import { canonicalJson, hashJson, signRelease, RELEASE_TYPE } from '../runtime/release/signing.ts'
import type { Benchmark } from './harness.ts'
import { median, round, shared } from './measure.ts'

type Figures = { checksSignUs: number; runUs: number; joseUs: number; cryptoUs: number; opsPerSecond: number }

const measure = shared(async (): Promise<Figures> => {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-release-'))
  const pool = createSandboxPool({ workers: 1 })
  try {
    const catalog = loadCatalog()
    const path = join(dir, 'store.duckdb')
    await buildStore({ catalog, path, scale: 20_000, seed: 'bench-release' })
    const product = await loadProduct(pool, await bundleProduct('products/enterprise-credit-score'))
    const store = await openStore(path, { access: 'read-only' })
    const index = await loadEntityIndex(
      store,
      catalog,
      Object.entries(product.manifest.scenario.tables).map(([table, t]) => ({ table, key: t.key!, fields: Object.keys(t.fields) })),
    )
    store.close()
    const keys = openKeyStore(join(dir, 'keys.json'), 'benchmark passphrase', 'production')
    const key = keys.active()
    const policy = defaultPolicy('api')
    const uscc = index.sampleKeys(500)
    const outputs: unknown[] = []
    const runTimes: number[] = []
    for (let round = 0; round < 3; round++) {
      for (const k of uscc) {
        const t0 = performance.now()
        const r = await invokeProduct(pool, product, { uscc: k }, index.lookupWire(k), '2025-12-31')
        runTimes.push((performance.now() - t0) * 1000)
        if (round === 0) outputs.push(r.output)
      }
    }
    const now = Math.floor(Date.now() / 1000)
    const claimsFor = (output: unknown, i: number) => ({
      jti: `rel-bench-${i}`,
      iss: 'indomain',
      aud: 'bank-bench',
      iat: now,
      exp: now + 3600,
      env: 'production' as const,
      product: { id: product.manifest.id, version: product.manifest.version, codeHash: product.codeHash },
      scenario: 'scn-bench',
      consumer: 'bank-bench',
      requestHash: hashJson({ uscc: uscc[i] }),
      resultHash: hashJson(output),
      checks: { passed: ['SCHEMA', 'IDENTIFIERS', 'FREE_TEXT', 'GUARDS'] },
      result: output,
    })
    const checkTimes: number[] = []
    const cryptoTimes: number[] = []
    const joseTimes: number[] = []
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < outputs.length; i++) {
        const output = outputs[i]
        const t0 = performance.now()
        const verdict = checkRelease({ text: canonicalJson(output), output, schema: product.manifest.output, policy, entityKey: uscc[i]! })
        if (!verdict.ok) throw new Error('a clean output failed the checks')
        const t1 = performance.now()
        signRelease(claimsFor(output, i), key)
        const t2 = performance.now()
        await new SignJWT(claimsFor(output, i) as never).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: RELEASE_TYPE }).sign(key.privateKey)
        const t3 = performance.now()
        checkTimes.push((t2 - t0) * 1000)
        cryptoTimes.push((t2 - t1) * 1000)
        joseTimes.push((t3 - t2) * 1000)
      }
    }
    const checksSignUs = median(checkTimes)
    return { checksSignUs, runUs: median(runTimes), joseUs: median(joseTimes), cryptoUs: median(cryptoTimes), opsPerSecond: 1e6 / checksSignUs }
  } finally {
    await pool.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

export const benchmarks: readonly Benchmark[] = [
  {
    id: 'release.share_of_run',
    title: 'release checks + signing ÷ a full warm one-entity run of enterprise-credit-score (medians)',
    async run() {
      const f = await measure()
      const share = round(f.checksSignUs / f.runUs)
      return { value: share, unit: 'ratio', baseline: round(f.runUs, 1), ratio: share, goal: 0.2 }
    },
  },
  {
    id: 'release.checks_sign_us',
    title: 'release checks + Ed25519 signing per one-entity result, median µs (baseline: results per second)',
    async run() {
      const f = await measure()
      return { value: round(f.checksSignUs, 1), unit: 'µs', baseline: round(f.opsPerSecond, 0), ratio: null, goal: null }
    },
  },
  {
    id: 'release.sign_jose_vs_crypto.ratio',
    title: 'jose SignJWT ÷ node:crypto Ed25519 signing of the same release (median µs each)',
    async run() {
      const f = await measure()
      const ratio = round(f.joseUs / f.cryptoUs)
      return { value: ratio, unit: 'ratio', baseline: round(f.cryptoUs, 1), ratio, goal: null }
    },
  },
]
