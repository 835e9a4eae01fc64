/** `indomain serve`, `indomain consumer add`, `indomain product publish`. */
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { loadConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { bundleProduct } from '../sandbox/bundle-product.ts'
import { createSandboxPool } from '../sandbox/sandbox-pool.ts'
import { loadProduct } from '../products/run-product.ts'
import { assertUsable } from '../scenarios/scenario-store.ts'
import { createServerRuntime } from '../server/server-runtime.ts'
import { operationalLogger } from '../server/build-server.ts'
import { cliGovernance } from './cli-governance.ts'
import { serveUntilStopped } from './serving.ts'
import { actingPrincipal, withTokenOption } from './cli-principal.ts'

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('serve published products over HTTP')
    .option('--port <port>', 'port (default 8720, or INDOMAIN_PORT)')
    .action(async (options: { port?: string }) => {
      const config = loadConfig()
      const runtime = await createServerRuntime(config, { logger: operationalLogger('info') })
      const port = options.port === undefined ? config.port : Number(options.port)
      await serveUntilStopped(runtime, config, port)
    })

  withTokenOption(
    program
      .command('consumer')
      .description('API consumers')
      .command('add <id>')
      .description('register a consumer, as the operator whose token is given')
      .option('--name <name>', 'display name')
      .option('--quota <calls>', 'released calls allowed per month (default: no quota)'),
  ).action(async (id: string, options: { name?: string; quota?: string; token?: string }) => {
      const config = loadConfig()
      const operator = (await actingPrincipal(config, ['operator'], options, 'consumer add')).id
      const quota = options.quota === undefined ? null : Number(options.quota)
      const { apiKey } = await cliGovernance(config, (governance) => governance.addConsumer(operator, id, options.name ?? id, quota))
      process.stdout.write(`${apiKey}\n`)
      process.stderr.write('this API key is shown once; only its digest is stored\n')
    })

  const productCommand = program.command('product').description('published products')
  withTokenOption(productCommand.command('price-cap <product> <yuan>').description('the operator\'s price cap per call; published prices above it come down to it')).action(
    async (product: string, yuan: string, options: { token?: string }) => {
      const config = loadConfig()
      const operator = (await actingPrincipal(config, ['operator'], options, 'product price-cap')).id
      const capFen = Math.round(Number(yuan) * 100)
      await cliGovernance(config, (governance) => governance.capPrice(operator, product, capFen))
      process.stdout.write(`${product}: at most ${capFen / 100} yuan per call\n`)
    },
  )
  withTokenOption(
    productCommand
      .command('publish <dir>')
      .description('publish a product version under its approved scenario (code hash recorded), as the operator whose token is given')
      .requiredOption('--scenario <id>', 'the approved scenario of the product')
      .requiredOption('--partner <id>', 'the partner who owns it')
      .option('--price <yuan>', 'price per call in yuan (public-interest products are free)', '0'),
  ).action(async (dir: string, options: { scenario: string; partner: string; price: string; token?: string }) => {
      const config = loadConfig()
      const operator = (await actingPrincipal(config, ['operator'], options, 'product publish')).id
      const pool = createSandboxPool({ workers: 1 })
      try {
        const product = await loadProduct(pool, await bundleProduct(dir))
        const published = await cliGovernance(config, async (governance, state) => {
          const scenario = await state.scenarios.get(options.scenario)
          assertUsable(scenario)
          if (scenario.product !== product.manifest.id) throw new RuntimeError('ERR_SCENARIO_NOT_APPROVED', 'The scenario was not approved for this product')
          return governance.publish(operator, product, { dir: resolve(dir), partner: options.partner, scenario, priceFen: Math.round(Number(options.price) * 100) })
        })
        process.stdout.write(`${published.id}@${published.version} published (${published.codeHash})\n`)
      } finally {
        await pool.close()
      }
    })
}
