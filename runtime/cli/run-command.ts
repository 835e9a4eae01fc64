/**
 * `indomain run <productDir> --scenario <id> --consumer <id> --partner <id>`: runs a product as
 * production does, under an operator's approval of its scenario: the result is checked and
 * signed with the production key (one entity), or queued for two-person review (datasets and
 * reports). Until the server exists this is how a consumer's call is made from the operator's
 * console.
 */
import type { Command } from 'commander'
import { loadCatalog } from '../../catalog/load-catalog.ts'
import { loadConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { executeProduct } from '../products/execute-product.ts'
import { parseInputOption, parsePick } from './product-input-options.ts'
import { actingPrincipal, withTokenOption } from './cli-principal.ts'

type RunOptions = { scenario: string; consumer: string; partner: string; input: string; pick?: number; token?: string }

export function registerRunCommand(program: Command): void {
  withTokenOption(
    program
    .command('run <productDir>')
    .description('run a product under an approved scenario, check and sign its result (or queue it for review), as the operator whose token is given')
    .requiredOption('--scenario <id>', 'the operator-approved scenario of this product')
    .requiredOption('--consumer <id>', 'the consumer the result is for')
    .requiredOption('--partner <id>', 'the partner who owns the product (may not review its releases)')
    .option('--input <json>', 'the product input as JSON', '{}')
    .option('--pick <n>', 'on a synthetic store: the n-th entity its scenario knows', parsePick),
  ).action(async (productDir: string, options: RunOptions) => {
      const config = loadConfig()
      await actingPrincipal(config, ['operator'], options, 'run')
      const catalog = loadCatalog(config.catalogDir)
      const input = parseInputOption(options.input)
      const result = await executeProduct({
        config,
        catalog,
        productDir,
        storePath: config.storePath,
        stateDatabase: config.stateDatabase,
        viewsDir: config.viewsDir,
        keys: 'production',
        async scenario(scenarios, product) {
          const scenario = await scenarios.get(options.scenario)
          if (scenario.product !== product.manifest.id) {
            throw new RuntimeError('ERR_SCENARIO_NOT_APPROVED', 'The scenario was not approved for this product', { details: { scenario: scenario.id } })
          }
          return scenario
        },
        consumer: options.consumer,
        partner: options.partner,
        input,
        ...(options.pick === undefined ? {} : { pick: options.pick }),
        review: true,
        audited: true,
      })
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    })
}
