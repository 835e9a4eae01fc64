/**
 * A partner's product versions on the server: upload (sources written server-side, bundled with
 * the import allowlist, type-checked, code hash taken here), dev-run on a synthetic sample store
 * with dev keys (never the operators' state, views or keys) under a copy of the operator's decision
 * on the product's scenario when there is one, else under a dev approval of its declaration; submit
 * under an approved scenario, and publish once an operator approved the version — pinned to the
 * reviewed hash.
 */
import { cityDay } from '../city-calendar.ts'
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { AuditTrail } from '../audit/index.ts'
import type { RuntimeConfig } from '../config.ts'
import { isRuntimeError, paramsInvalid, RuntimeError } from '../errors.ts'
import { bundleProduct, type ProductBundle } from '../sandbox/bundle-product.ts'
import { typeCheckThread, type TypeCheckThread } from '../sandbox/type-check-thread.ts'
import type { SandboxPool } from '../sandbox/sandbox-pool.ts'
import { SandboxError } from '../sandbox/sandbox-error.ts'
import { loadProductForRuns } from '../products/run-product.ts'
import { executeProduct } from '../products/execute-product.ts'
import { checkScenarioAgainstCatalog } from '../products/scenario-data.ts'
import { devScenario, operatorDecision } from '../scenarios/dev-approval.ts'
import { auditedChange } from '../governance/index.ts'
import { isPublicInterest } from '../release/release-policy.ts'
import { assertUsable } from '../scenarios/scenario-store.ts'
import { ReleaseRefusedError } from '../release/release-gate.ts'
import { buildStore } from '../store/build-store.ts'
import { createExclusive } from '../store/exclusive.ts'
import type { State } from '../state/state.ts'
import { principalLockKey } from '../state/principals.ts'
import { withoutSources, type ProductVersion } from '../state/product-versions.ts'
import { publishProduct } from './publish-product.ts'
import { versionChecks, type Rebundled, type VersionReviewFile } from './version-review.ts'
import type { PublishedProduct } from './registry.ts'
import { clientBody } from './http-errors.ts'

/** Sources of one version: relative paths of TypeScript files to their text. */
export type SourceFiles = Readonly<Record<string, string>>

export const MAX_SOURCE_FILES = 64
export const MAX_SOURCE_BYTES = 512 * 1024
const SOURCE_PATH = /^(?:[a-z0-9_-]+\/){0,4}[a-z0-9_.-]+\.ts$/
const VERSION = /^\d+\.\d+\.\d+$/
/** The dev sample is small: it is for trying a product, not for measuring it. */
const DEV_SAMPLE_SCALE = 2000

export type DevRunReport = {
  readonly ok: boolean
  readonly at: string
  readonly input: unknown
  readonly output?: unknown
  /** The release checks' verdict on the output: passed checks, or refusal reasons (codes). */
  readonly checks?: unknown
  readonly error?: { readonly code: string; readonly productCode?: unknown }
  /** The product's own log lines and error (synthetic data only). */
  readonly logs: readonly string[]
  readonly message?: string
  /** What the run ran under: `scenario scn-… as decided on YYYY-MM-DD`, or the dev approval (absent when it failed before). */
  readonly under?: string
}

export type ProductDevelopment = {
  upload(partner: string, product: string, version: string, files: SourceFiles): Promise<ProductVersion>
  devRun(partner: string, product: string, version: string, request: { input?: unknown; pick?: number }): Promise<DevRunReport>
  submit(partner: string, product: string, version: string, scenario: string): Promise<ProductVersion>
  publish(partner: string, product: string, version: string, priceFen: number): Promise<PublishedProduct>
  /** The exit process: uploads of versions never approved, and the partner's dev runs, are deleted. */
  deleteDevData(partner: string): Promise<void>
  /** The review file of any partner's version (operators): its manifest from the stored sources, its scenario, its checks now. */
  inspect(product: string, version: string): Promise<VersionReviewFile>
  /** Ends the type-check thread. */
  close(): Promise<void>
}

export function checkSourceFiles(files: SourceFiles): void {
  const paths = Object.keys(files)
  if (paths.length === 0 || paths.length > MAX_SOURCE_FILES) throw paramsInvalid('A version has 1 to 64 source files', 'body:/files')
  if (!paths.includes('product.ts')) throw paramsInvalid('A version needs a product.ts', 'body:/files/product.ts')
  let bytes = 0
  for (const path of paths) {
    if (!SOURCE_PATH.test(path) || path.split('/').some((part) => part.startsWith('.'))) {
      throw paramsInvalid('Source paths are relative, lower case, end in .ts and never climb out', 'body:/files', { path: path.slice(0, 100) })
    }
    const text = files[path]
    if (typeof text !== 'string') throw paramsInvalid('A source file is text', 'body:/files')
    bytes += Buffer.byteLength(text)
  }
  if (bytes > MAX_SOURCE_BYTES) throw paramsInvalid('A version\'s sources are at most 512 KiB', 'body:/files')
}

export function createProductDevelopment(deps: {
  readonly config: RuntimeConfig
  readonly catalog: Catalog
  readonly state: State
  readonly pool: SandboxPool
  readonly trail: AuditTrail
  /** The type check of uploads (default: a thread of its own). */
  readonly types?: TypeCheckThread
}): ProductDevelopment {
  const { config, catalog, state, pool } = deps
  const inOne = auditedChange(deps)
  // uploads are type-checked off the event loop, within time and memory limits
  const types = deps.types ?? typeCheckThread()
  const devStorePath = join(config.devDir, 'sample.duckdb')
  // dev runs share one dev state file: one at a time
  const devQueue = createExclusive()
  const owned = async (partner: string, product: string, version: string): Promise<ProductVersion> => {
    const v = await state.versions.get(product, version)
    // another partner's version does not exist for this one
    if (v.partner !== partner) throw new RuntimeError('ERR_NOT_FOUND', 'No such product version', { details: { product, version } })
    return v
  }
  const bundleOf = async (v: ProductVersion) => {
    const bundle = await bundleProduct(v.dir)
    if (bundle.codeHash !== v.codeHash) throw new RuntimeError('ERR_PRODUCT_INVALID', 'The product\'s code changed since it was uploaded')
    return bundle
  }

  /** Sources written server-side, bundled, type-checked and loaded; refused uploads leave nothing. */
  const uploadVersion = async (partner: string, productId: string, version: string, files: SourceFiles): Promise<ProductVersion> => {
    if (!VERSION.test(version)) throw paramsInvalid('A version is MAJOR.MINOR.PATCH', 'path:/version')
    checkSourceFiles(files)
    // a product id belongs to whoever first uploaded or published it
    const owner = (await state.versions.owner(productId)) ?? (await state.registry.versions()).find((p) => p.id === productId)?.partner
    if (owner !== undefined && owner !== partner) throw new RuntimeError('ERR_CONFLICT', 'The product id belongs to another partner', { details: { product: productId } })
    const existing = await state.versions.get(productId, version).catch(() => undefined)
    if (existing !== undefined && existing.status !== 'uploaded') {
      throw new RuntimeError('ERR_CONFLICT', 'This version was submitted already: upload a new version', { details: { product: productId, version, status: existing.status } })
    }
    const dir = join(config.uploadsDir, partner, productId, version)
    const incoming = `${dir}.incoming-${process.pid}-${Date.now().toString(36)}`
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(incoming, path)), { recursive: true })
      writeFileSync(join(incoming, path), text, { flag: 'wx' })
    }
    // bundled where it will stay: the bundle (and its hash) names its files by path
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dirname(dir), { recursive: true })
    renameSync(incoming, dir)
    try {
      const bundle = await bundleProduct(dir)
      // the sources are complete here: a type error is refused now, not found in a dev run
      await types.check(dir)
      const product = await loadProductForRuns(pool, bundle)
      const m = product.manifest
      if (m.id !== productId || m.version !== version) {
        throw paramsInvalid('The manifest\'s id and version must be the ones uploaded to', 'body:/files/product.ts', { manifestId: m.id, manifestVersion: m.version })
      }
      checkScenarioAgainstCatalog(m, catalog)
      return await state.versions.upload({ product: productId, version, partner, codeHash: bundle.codeHash, title: m.title, kind: m.kind, category: m.category, dir })
    } catch (error) {
      // a refused upload leaves nothing behind, not even its empty product folder
      rmSync(dir, { recursive: true, force: true })
      if (readdirSync(dirname(dir)).length === 0) rmdirSync(dirname(dir))
      throw error
    }
  }
  // one upload of a partner at a time: a partner cannot queue type checks ahead of everyone else's
  const uploading = new Set<string>()

  return {
    async upload(partner, productId, version, files) {
      if (uploading.has(partner)) throw new RuntimeError('ERR_RATE_LIMITED', 'Another upload of yours is still being checked: send this one when it has finished')
      uploading.add(partner)
      try {
        return await uploadVersion(partner, productId, version, files)
      } finally {
        uploading.delete(partner)
      }
    },

    async devRun(partner, productId, version, request) {
      const v = await owned(partner, productId, version)
      const logs: string[] = []
      let message: string | undefined
      let under: { under: string } | Record<string, never> = {}
      const at = new Date().toISOString()
      const report = await devQueue(async (): Promise<DevRunReport> => {
        if (!existsSync(devStorePath)) await buildStore({ catalog, path: devStorePath, scale: Math.min(config.sampleScale, DEV_SAMPLE_SCALE), seed: `${config.sampleSeed}-dev` })
        try {
          const result = await executeProduct({
            config,
            catalog,
            productDir: v.dir,
            storePath: devStorePath,
            stateDatabase: join(config.devDir, 'state.sqlite'),
            viewsDir: join(config.devDir, 'views'),
            keys: 'dev',
            async scenario(scenarios, product) {
              const decided = await operatorDecision(state.scenarios, productId, { partner, submittedUnder: v.scenario })
              const dev = await devScenario(scenarios, catalog, product.manifest, `dev-${partner}`, decided)
              under = { under: dev.under }
              return dev.scenario
            },
            consumer: `dev-${partner}`,
            partner,
            input: request.input ?? {},
            ...(request.pick === undefined && request.input === undefined ? { pick: 1 } : request.pick === undefined ? {} : { pick: request.pick }),
            review: false,
            onDiagnostics(lines, m) {
              logs.push(...lines)
              if (m !== undefined) message = m
            },
          })
          if (result.codeHash !== v.codeHash) throw new RuntimeError('ERR_PRODUCT_INVALID', 'The product\'s code changed since it was uploaded')
          return { ok: true, at, input: result.input, output: result.output, checks: (result.release as { checks?: unknown }).checks ?? null, logs, ...under }
        } catch (error) {
          if (error instanceof ReleaseRefusedError) return { ok: false, at, input: request.input ?? null, checks: { refused: error.reasons }, error: { code: error.code }, logs, ...under }
          if (error instanceof SandboxError || isRuntimeError(error)) {
            const productCode = error.code === 'ERR_SANDBOX_THREW' ? error.details?.productCode : undefined
            // what the error's catalogue lets a client see of why (a scenario's missing key, say), as over HTTP
            const { problems } = clientBody(error, '')
            return { ok: false, at, input: request.input ?? null, error: { code: error.code, ...(productCode === undefined ? {} : { productCode }), ...(problems === undefined ? {} : { problems }) }, logs, ...(message === undefined ? {} : { message }), ...under }
          }
          throw error
        }
      })
      await state.versions.recordDevRun(productId, version, { ok: report.ok, at: report.at, checks: report.checks ?? null, error: report.error ?? null })
      return report
    },

    async submit(partner, productId, version, scenarioId) {
      const v = await owned(partner, productId, version)
      const scenario = await state.scenarios.get(scenarioId)
      if (scenario.partner !== partner || scenario.product !== productId) {
        throw new RuntimeError('ERR_SCENARIO_NOT_APPROVED', 'The scenario is not this partner\'s scenario for this product', { details: { scenario: scenarioId } })
      }
      // the category decides the price (public-interest products are free): the approved one must be the product's
      if (scenario.category !== v.category) {
        throw new RuntimeError('ERR_SCENARIO_NOT_APPROVED', 'The scenario was approved for another category than the product declares', { details: { scenario: scenarioId, scenarioCategory: scenario.category, productCategory: v.category } })
      }
      assertUsable(scenario)
      return state.versions.submit(productId, version, partner, scenarioId)
    },

    async publish(partner, productId, version, priceFen) {
      const v = await owned(partner, productId, version)
      if (v.status !== 'approved' || v.scenario === null) throw new RuntimeError('ERR_CONFLICT', 'Only a version an operator approved can be published', { details: { product: productId, version, status: v.status } })
      const scenario = await state.scenarios.get(v.scenario)
      assertUsable(scenario)
      // bundled and loaded first: the transaction holds no lock while the product compiles
      const product = await loadProductForRuns(pool, await bundleOf(v))
      return inOne(async (audit, tx) => {
        // under the partner's lock, which a suspension takes first: either the suspension sees this
        // product and suspends it, or this sees the suspension and publishes nothing
        await state.database.lock(tx, principalLockKey('partner', partner))
        if ((await state.principals.get('partner', partner))?.status !== 'active') throw new RuntimeError('ERR_AUTH_REQUIRED', 'The partner is no longer active')
        const published = await publishProduct(state.registry, catalog, product, { dir: v.dir, partner, scenario, priceFen })
        await audit({ actor: partner, action: 'product.published', subject: `${productId}@${version}`, detail: { codeHash: published.codeHash, scenario: scenario.id, priceFen: published.priceFen, free: isPublicInterest(published.category) } })
        return published
      })
    },

    async deleteDevData(partner) {
      await state.versions.deleteDevData(partner)
      for (const v of await state.versions.list({ partner })) {
        if (v.status !== 'approved') rmSync(v.dir, { recursive: true, force: true })
      }
    },

    async inspect(productId, version) {
      const v = await state.versions.get(productId, version)
      let bundle: ProductBundle | undefined
      let rebundled: Rebundled
      try {
        bundle = await bundleProduct(v.dir)
        rebundled = { codeHash: bundle.codeHash }
      } catch (error) {
        // a revoked partner's unreviewed sources are deleted: the file still reads, the check fails
        rebundled = { failed: `the stored sources do not bundle (${isRuntimeError(error) ? error.code : 'ERR_INTERNAL'})` }
      }
      // the manifest shown is the recorded code's, or none
      const manifest = bundle === undefined || bundle.codeHash !== v.codeHash ? null : await loadProductForRuns(pool, bundle).then((p) => p.manifest, () => null)
      const scenario = v.scenario === null ? null : await state.scenarios.get(v.scenario)
      return { version: withoutSources(v), manifest, scenario, checks: versionChecks({ version: v, rebundled, manifest, scenario, today: cityDay() }) }
    },

    close: () => types.close(),
  }
}
