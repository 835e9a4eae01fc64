/**
 * `indomain dev <productDir>`: runs a product locally exactly as production will — type-checked,
 * bundled, in the sandbox, on the synthetic catalog. It runs under the operators' decision on the
 * product's scenario when their state database (INDOMAIN_DATABASE_URL, or data/state.sqlite) holds
 * one, else under its declared scenario as if approved; the output's `under` says which.
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
import { checkProductTypes } from '../sandbox/check-product-types.ts'
import { devScenario, operatorDecision, UNDER_DEV_APPROVAL } from '../scenarios/dev-approval.ts'
import type { Scenario } from '../scenarios/scenario.ts'
import { isDatabaseUrl } from '../state/state-database.ts'
import { withState } from '../state/state.ts'
import { buildWithProgress } from './catalog-commands.ts'
import { executeProduct } from '../products/execute-product.ts'
import { parseInputOption, parsePick } from './product-input-options.ts'

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
    .option('--pick [n]', 'on a synthetic store: call the product for the n-th entity its scenario knows (default 1)', parsePick)
    .action(async (productDir: string, options: DevOptions) => {
      const result = await runDev(productDir, parseInputOption(options.input ?? '{}'), options)
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    })
}

async function runDev(productDir: string, input: unknown, options: DevOptions): Promise<unknown> {
  const config = loadConfig()
  const catalog = loadCatalog(config.catalogDir)
  const storePath = options.db ?? (options.scale === undefined ? config.storePath : join(config.dataDir, `dev-${options.scale}.duckdb`))
  if (!existsSync(storePath)) {
    if (options.db !== undefined) throw new RuntimeError('ERR_STORE_MISSING', 'The store does not exist', { details: { path: storePath } })
    process.stderr.write(`building a synthetic store at ${storePath}\n`)
    await buildWithProgress(config, storePath, options.scale ?? config.sampleScale, config.sampleSeed)
  }
  // the import guard first (its refusal names the import), then the types
  await bundleProduct(productDir)
  await checkProductTypes(productDir)
  let under = UNDER_DEV_APPROVAL
  const result = await executeProduct({
    config,
    catalog,
    productDir,
    storePath,
    // dev state (scenarios, releases) and views are kept apart from the operators' own
    stateDatabase: join(config.dataDir, 'dev-state.sqlite'),
    viewsDir: join(config.dataDir, 'dev-views'),
    keys: 'dev',
    // the operators' decision, copied into the dev state; or the declared scenario approved for dev
    async scenario(scenarios, product) {
      const decided = await loadOperatorDecision(config.stateDatabase, product.manifest.id)
      const dev = await devScenario(scenarios, catalog, product.manifest, options.consumer, decided)
      under = dev.under
      process.stderr.write(`dev run under ${under}\n`)
      return dev.scenario
    },
    consumer: options.consumer,
    partner: 'dev',
    input,
    ...(options.pick === undefined ? {} : { pick: options.pick === (true as unknown) ? 1 : options.pick }),
    review: false,
    onDiagnostics: reportLogs,
  })
  return { ...result, under }
}

/** The operators' decision on the product, from their state database when there is one (a missing file is not created). */
async function loadOperatorDecision(location: string, product: string): Promise<Scenario | undefined> {
  if (!isDatabaseUrl(location) && !existsSync(location)) return undefined
  return withState(location, (state) => operatorDecision(state.scenarios, product))
}

function reportLogs(logs: readonly string[], message?: string, stack?: string): void {
  for (const line of logs) process.stderr.write(`[product log] ${line}\n`)
  if (message !== undefined) process.stderr.write(`[product error] ${message}\n`)
  if (stack !== undefined) process.stderr.write(`${stack}\n`)
}
