/**
 * `indomain dev <productDir>`: runs a product locally exactly as production will — bundled,
 * in the sandbox, on the synthetic catalog, with its declared scenario as if approved.
 * Output JSON on stdout (exit 0); a typed error on stderr (exit 3 sandbox/product, 2 release
 * refusal, 1 usage or bad input).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { loadCatalog } from '../../catalog/load-catalog.ts'
import { loadConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { bundleProduct } from '../sandbox/bundle-product.ts'
import { createSandboxPool } from '../sandbox/sandbox-pool.ts'
import { BATCH_LIMITS, DEFAULT_LIMITS } from '../sandbox/limits.ts'
import { SandboxError } from '../sandbox/sandbox-error.ts'
import { loadProduct } from '../products/run-product.ts'
import { runThroughGate } from '../products/run-through-gate.ts'
import { openReleaseStore } from '../release/release-store.ts'
import { releaseOutput } from '../release/release-gate.ts'
import { defaultPolicy } from '../release/release-policy.ts'
import { openKeys } from '../release/open-keys.ts'
import { checkScenarioAgainstCatalog } from '../products/scenario-data.ts'
import { openScenarioStore } from '../scenarios/scenario-store.ts'
import { devApproval } from '../scenarios/dev-approval.ts'
import { createDataGate } from '../scenarios/data-gate.ts'
import { openStore, readStoreInfo } from '../store/index.ts'
import { buildWithProgress } from './catalog-commands.ts'

type DevOptions = { input?: string; scale?: number; db?: string; consumer: string; pick?: number }

export function registerDevCommand(program: Command): void {
  program
    .command('dev <productDir>')
    .description('run a product locally on the synthetic catalog, in the sandbox, as production will')
    .option('--input <json>', 'the product input as JSON', '{}')
    .option('--scale <persons>', 'use (and build if needed) a synthetic store of this many persons', (v) => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < 100) throw new InvalidArgumentError('must be an integer of at least 100')
      return n
    })
    .option('--db <path>', 'store file')
    .option('--consumer <id>', 'the consumer the call is made for', 'dev')
    .option('--pick [n]', 'on a synthetic store: call the product for the n-th entity of its first table (default 1)', (v) => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer')
      return n
    })
    .action(async (productDir: string, options: DevOptions) => {
      let input: unknown
      try {
        input = JSON.parse(options.input ?? '{}')
      } catch {
        throw new RuntimeError('ERR_PARAMS_INVALID', '--input is not valid JSON')
      }
      const result = await runDev(productDir, input, options)
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    })
}

async function runDev(productDir: string, givenInput: unknown, options: DevOptions): Promise<unknown> {
  let input = givenInput
  const config = loadConfig()
  const catalog = loadCatalog(config.catalogDir)
  const bundle = await bundleProduct(productDir)
  const pool = createSandboxPool({ workers: 1 })
  try {
    const storePath = options.db ?? (options.scale === undefined ? config.storePath : join(config.dataDir, `dev-${options.scale}.duckdb`))
    if (!existsSync(storePath)) {
      if (options.db !== undefined) throw new RuntimeError('ERR_STORE_MISSING', 'The store does not exist', { details: { path: storePath } })
      process.stderr.write(`building a synthetic store at ${storePath}\n`)
      await buildWithProgress(config, storePath, options.scale ?? config.sampleScale, config.sampleSeed)
    }
    const store = await openStore(storePath, { access: 'read-only' })
    try {
      const product = await loadProduct(pool, bundle, DEFAULT_LIMITS)
      // batch runs read whole tables: they get the batch limits
      if (product.manifest.kind !== 'api') pool.register(product.key, bundle.code, BATCH_LIMITS)
      const info = await readStoreInfo(store, catalog)
      store.close()
      const asOf = info.properties.get('as_of') ?? new Date().toISOString().slice(0, 10)
      checkScenarioAgainstCatalog(product.manifest, catalog)
      // the declared scenario, approved for dev with the catalog's default masks, read through the gate
      const scenarios = await openScenarioStore(join(config.dataDir, 'dev-state.duckdb'))
      const scenario = await devApproval(scenarios, catalog, product.manifest).catch((e) => {
        scenarios.close()
        throw e
      })
      const gate = createDataGate({ catalog, storePath, viewsDir: join(config.dataDir, 'dev-views'), scenarios, asOf })
      try {
        const index = product.manifest.kind === 'api' ? await gate.entityIndex(scenario.id) : undefined
        if (index !== undefined && options.pick !== undefined) {
          if (info.properties.get('origin') !== 'synthetic') {
            throw new RuntimeError('ERR_PARAMS_INVALID', '--pick works only on a synthetic store')
          }
          const n = options.pick === (true as unknown) ? 1 : options.pick
          const picked = index.sampleKeys(n)[n - 1]
          if (picked === undefined) throw new RuntimeError('ERR_ENTITY_NOT_FOUND', 'The store has fewer entities than --pick asks for')
          input = { ...(input as Record<string, unknown>), [product.manifest.entityKey!]: picked }
        }
        const run = await runThroughGate({ pool, gate, product, scenarioId: scenario.id, consumer: options.consumer, input, asOf, ...(index === undefined ? {} : { index }) })
        reportLogs(run.logs)
        // the release checks as production runs them; a pass is signed with the dev key (never valid in production)
        const releases = await openReleaseStore(join(config.dataDir, 'dev-releases.duckdb'))
        try {
          const key = product.manifest.kind === 'api' ? (input as Record<string, unknown>)[product.manifest.entityKey!] : undefined
          const outcome = await releaseOutput(
            { store: releases, keys: openKeys(config, 'dev') },
            {
              product: { id: product.manifest.id, version: product.manifest.version, codeHash: product.codeHash, kind: product.manifest.kind, output: product.manifest.output },
              partner: 'dev',
              scenario: scenario.id,
              consumer: options.consumer,
              input,
              output: run.output,
              policy: { ...defaultPolicy(product.manifest.kind), review: 'none' },
              ...(typeof key === 'string' ? { entityKey: key } : {}),
            },
          )
          const release = outcome.status === 'released' ? { id: outcome.releaseId, env: 'dev', checks: outcome.claims.checks, token: outcome.token } : { id: outcome.releaseId }
          return { product: product.manifest.id, version: product.manifest.version, codeHash: product.codeHash, scenario: scenario.id, asOf, input, output: run.output, release }
        } finally {
          releases.close()
        }
      } finally {
        scenarios.close()
      }
    } finally {
      store.close()
    }
  } catch (error) {
    // dev runs the partner's own code on synthetic data: its diagnostics are shown to the partner
    if (error instanceof SandboxError) reportLogs(error.diagnostics.logs, error.diagnostics.message, error.diagnostics.stack)
    throw error
  } finally {
    await pool.close()
  }
}

function reportLogs(logs: readonly string[], message?: string, stack?: string): void {
  for (const line of logs) process.stderr.write(`[product log] ${line}\n`)
  if (message !== undefined) process.stderr.write(`[product error] ${message}\n`)
  if (stack !== undefined) process.stderr.write(`${stack}\n`)
}
